"""Render the plain-text e-mail templates without Flask, so services can queue mail.

A template's first line is the subject; the body follows a blank line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..domain.text import format_date

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "email"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text, never HTML: nothing to escape, and a missing variable is an error.
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=False,  # noqa: S701
                      undefined=StrictUndefined, keep_trailing_newline=True,
                      auto_reload=False,  # no stat() per e-mail; templates ship with the code
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = format_date
    return env


def render(template: str, **context) -> Rendered:
    """Render templates/email/<name>.txt into a subject and a body."""
    text = _environment().get_template(f"{template}.txt").render(**context)
    subject, _, body = text.partition("\n")
    return Rendered(" ".join(subject.split())[:300], body.lstrip("\n"))


_MARK = "\x00"


def _segments(text: str) -> tuple[str, ...]:
    """Split at the markers: even items are literal text, odd items are value names."""
    return tuple(text.split(_MARK))


_SKELETONS: dict[tuple, tuple[frozenset, tuple, tuple]] = {}


def _skeleton(template: str, variant: dict, names) -> tuple[tuple, tuple]:
    key = (template, *sorted(variant.items()))
    found = _SKELETONS.get(key)
    if found is None or found[0] != names:
        rendered = render(template, **variant, **{n: f"{_MARK}{n}{_MARK}" for n in names})
        found = (frozenset(names), _segments(rendered.subject), _segments(rendered.body))
        if len(_SKELETONS) < 256:
            _SKELETONS[key] = found
    return found[1], found[2]


def _fill(segments: tuple[str, ...], values: dict[str, str]) -> str:
    return "".join([values[part] if i % 2 else part for i, part in enumerate(segments)])


def render_filled(template: str, variant: dict, values: dict[str, str]) -> Rendered:
    """Render many similar e-mails fast: Jinja runs once per variant, values are filled in.

    `variant` holds what the template branches on (hashable); `values` are strings printed
    exactly as given, never tested or filtered by the template. The sweep renders 10,000
    reminders at a time, and Jinja's per-render set-up would cost it a second.
    """
    subject, body = _skeleton(template, variant, values.keys())
    clean = {name: value.replace(_MARK, "") if _MARK in value else value
             for name, value in values.items()}
    return Rendered(_fill(subject, clean)[:300], _fill(body, clean))
