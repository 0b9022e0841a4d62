"""`kvkk-tracker letter`: the stored final letter, or a draft marked TASLAK when none is final."""

from __future__ import annotations

import hashlib

from tests.office.conftest import make_user, new_application

from .builders import decide, finalise, stored
from .pdftext import pdf_text


def test_draft_when_nothing_is_final_then_the_stored_bytes(app, runner, tmp_path):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    out = tmp_path / "reply.pdf"
    result = runner.invoke(args=["letter", no.lower(), "--kind", "reply", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "DRAFT" in result.stderr and "TASLAK" in result.stderr
    assert "TASLAK" in pdf_text(out.read_bytes())

    decide(app, officer, no)
    letter = stored(app, finalise(app, officer, no))
    result = runner.invoke(args=["letter", no, "--kind", "reply", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == letter.pdf
    assert letter.sha256 in result.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == letter.sha256


def test_unknown_number_and_kind_are_refused(app, runner, tmp_path):
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["letter", "KVKK-2026-0000-0000", "--kind", "receipt",
                                 "--out", str(out)])
    assert result.exit_code != 0 and "no application" in result.output
    result = runner.invoke(args=["letter", "KVKK-2026-0000-0000", "--kind", "bogus",
                                 "--out", str(out)])
    assert result.exit_code == 2
    assert not out.exists()


def test_a_fee_setting_outside_the_teblig_is_named_without_a_traceback(app, runner, tmp_path):
    officer = make_user(app, "officer")
    no, _code = new_application(app, rights=("a",), assignee=officer)
    out = tmp_path / "reply.pdf"
    app.config["KVKK_FEE_PER_PAGE"] = "2"  # above the Tebliğ's 1 TL a page
    try:
        result = runner.invoke(args=["letter", no, "--kind", "reply", "--out", str(out)])
    finally:
        app.config["KVKK_FEE_PER_PAGE"] = "0"
    assert result.exit_code == 1
    assert "KVKK_FEE_PER_PAGE" in result.output and "Traceback" not in result.output
    assert not out.exists()
