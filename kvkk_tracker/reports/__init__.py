"""A period's compliance figures and charts, for the reports page, its PDF and PDF exports.

Nothing here needs a request: the web views, the CLI and the exports' PDF writer share it.
`pdf.py` imports WeasyPrint, so it is imported only where a PDF is rendered.
"""
