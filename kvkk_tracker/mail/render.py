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
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = format_date
    return env


def render(template: str, **context) -> Rendered:
    """Render templates/email/<name>.txt into a subject and a body."""
    text = _environment().get_template(f"{template}.txt").render(**context)
    subject, _, body = text.partition("\n")
    return Rendered(" ".join(subject.split())[:300], body.lstrip("\n"))
