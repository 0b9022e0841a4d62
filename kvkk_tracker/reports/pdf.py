"""Render the auditors' documents (report, timeline, PDF exports) with nothing fetched from outside.

The letters engine's fetcher serves only the package's bundled fonts (`kvkk-asset:fonts/...`)
and refuses every other URL before anything is opened; no base URL, so relative references
resolve to nothing.
"""

from __future__ import annotations

from ..pdf.assets import AssetFetcher


def render_pdf(html: str) -> bytes:
    """Return the PDF of a self-contained HTML document."""
    from weasyprint import HTML  # here, not at import: see pdf/render.py

    return HTML(string=html, url_fetcher=AssetFetcher()).write_pdf()
