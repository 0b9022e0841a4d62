"""Formal letters (cevap yazısı and the others) rendered to PDF/A from plain-dict contexts."""

from .context import letter_context
from .render import KINDS, FeeSettingError, LetterError, RenderedLetter, render_html, render_letter

__all__ = ["KINDS", "FeeSettingError", "LetterError", "RenderedLetter", "letter_context",
           "render_html", "render_letter"]
