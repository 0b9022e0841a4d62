"""Render the auditors' documents (report, case timeline) to PDF with nothing fetched from outside.

The fetcher serves only the package's bundled fonts, named `kvkk-font:<file>`, and refuses every
other URL (http, file, data, relative paths) before anything is opened.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
SCHEME = "kvkk-font:"
FONTS = frozenset({"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"})


class Refused(ValueError):
    """The document asked for something other than a bundled font."""


@lru_cache(maxsize=4)
def _font(name: str) -> bytes:
    return (FONT_DIR / name).read_bytes()


class FontsOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        name = url[len(SCHEME):] if url.startswith(SCHEME) else None
        if name not in FONTS:
            self.refused.append(url)
            raise Refused(f"not a bundled font: {url[:200]}")
        return URLFetcherResponse(url, _font(name), {"Content-Type": "font/ttf"})

    def open(self, url, data=None, timeout=None):  # urllib never opens anything
        return self.fetch(url if isinstance(url, str) else url.full_url)


def render_pdf(html: str) -> bytes:
    """Return the PDF of a self-contained HTML document."""
    return HTML(string=html, base_url=SCHEME, url_fetcher=FontsOnlyFetcher()).write_pdf()
