"""A PDF download response, the same for staff, citizens and the API."""

from __future__ import annotations

from flask import make_response


def pdf_response(data: bytes, filename: str, sha256: str | None = None, *,
                 inline: bool = False):
    """Answer with the PDF bytes, never cached; the hash header lets anyone check the file."""
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    if sha256:
        response.headers["X-Letter-SHA256"] = sha256
    return response


def receipt_filename(application) -> str:
    return f"{application.tracking_no}-basvuru-alindi.pdf"
