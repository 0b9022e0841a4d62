"""The auditor views render PDFs with the shared, locked-down renderer (reports/pdf.py)."""

from ...reports.pdf import render_pdf

__all__ = ["render_pdf"]
