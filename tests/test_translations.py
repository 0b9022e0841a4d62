"""The Turkish catalogue is complete and the template (.pot) says what the code says.

The UI is Turkish by default: an untranslated or fuzzy entry shows English to a Turkish user
(Flask-Babel falls back to the msgid silently), so each one fails here, listed by name.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "kvkk_tracker" / "translations"
PO = TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.po"
POT = TRANSLATIONS / "messages.pot"


def catalogue(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def msgids(catalog) -> set[tuple]:
    return {(m.context, m.id) for m in catalog if m.id}


def shown(key: tuple) -> str:
    context, msgid = key
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    return f"{context}: {text!r}" if context else repr(text)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple]:
    """Extract the strings as `make messages` does, into a scratch file."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l",  # noqa: S603
                    "-o", str(out), "kvkk_tracker", "templates"], cwd=ROOT, check=True)
    return msgids(catalogue(out))


def test_every_turkish_entry_is_translated_and_none_is_fuzzy():
    untranslated = []
    for message in catalogue(PO):
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(("fuzzy " if message.fuzzy else "") + shown(
                (message.context, message.id)))
    assert untranslated == []


def test_the_template_holds_exactly_the_strings_of_the_code(extracted):
    in_template = msgids(catalogue(POT))
    assert sorted(map(shown, extracted - in_template)) == [], "in the code, not in the .pot"
    assert sorted(map(shown, in_template - extracted)) == [], "in the .pot, not in the code"


def test_every_string_of_the_code_is_in_the_turkish_catalogue(extracted):
    in_po = msgids(catalogue(PO))
    assert sorted(map(shown, extracted - in_po)) == [], "shown in English to Turkish users"
