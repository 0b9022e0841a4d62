"""PDF exports, read back with pypdf: the header, the figures and charts, the rows, the cap."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from kvkk_tracker.exports import WRITERS, ExportRequest, Period, open_table
from kvkk_tracker.extensions import db
from tests.office.conftest import login

from .conftest import PASSPORT, VALID_TCKN
from .test_cli import events, outdir, run  # noqa: F401  (outdir is a fixture)

CHART_CAPTIONS = ("Applications per month", "On-time rate per month (statutory due date)",
                  "Distribution of days to reply (calendar days)")
TRACKING = re.compile(r"KVKK-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def pdf_text(data: bytes) -> str:
    """Return the text of every page, runs of whitespace (line ends in cells) as one space."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def export_pdf(app, name: str, period: Period | None = None, *, masked=True, lang="en",
               taken_by="") -> str:
    with app.app_context():
        table = open_table(db.session, ExportRequest(name, "pdf", period or Period(), masked,
                                                     lang), taken_by=taken_by)
        return pdf_text(b"".join(WRITERS["pdf"].chunks(table)))


def test_an_applications_pdf_has_its_header_figures_charts_and_rows(app, dataset):
    words = export_pdf(app, "applications", Period(date(2026, 4, 1), None),
                       taken_by="Denetçi Ayşe <ayse@example.org>")
    assert "Applications" in words
    assert "Period: 01.04.2026–… (by date received)" in words
    assert "Exported by Denetçi Ayşe <ayse@example.org> on" in words
    assert re.search(r"on \d\d\.\d\d\.\d{4} \d\d:\d\d \(Türkiye time\)", words)
    assert "Masked: identity numbers" in words
    assert "Key figures" in words and re.search(r"Received\s+2", words)
    for caption in CHART_CAPTIONS:
        assert caption in words
    for header in ("Tracking no", "Received", "Statutory due", "Identity/passport no"):
        assert header in words
    assert set(TRACKING.findall(words)) == {dataset.tracking["after"],
                                            dataset.tracking["passport"]}
    assert "01.04.2026 00:00" in words  # received, Istanbul time
    assert VALID_TCKN not in words and PASSPORT not in words
    assert "172******60" in words and "left out" not in words


def test_an_unmasked_pdf_says_so_and_shows_the_numbers(app, dataset):
    words = export_pdf(app, "applications", masked=False)
    assert "Unmasked: identity numbers in full" in words
    assert VALID_TCKN in words and PASSPORT in words


def test_other_exports_have_rows_but_no_charts_and_turkish_headers(app, dataset):
    words = export_pdf(app, "decisions", lang="tr")
    assert "Kararlar" in words and "Karar veren" in words and "Gerekçe" in words
    assert "Key figures" not in words and "Başvuru sayısı" not in words
    assert len(TRACKING.findall(words)) == 2
    assert "=HYPERLINK" in words  # text as stored: a PDF evaluates nothing, so no quote
    assert "'=HYPERLINK" not in words


def test_the_table_stops_at_the_cap_and_says_what_was_left_out(app, dataset):
    app.config["KVKK_EXPORT_PDF_MAX_ROWS"] = 2
    words = export_pdf(app, "applications")
    assert ("This PDF lists the first 2 rows. Left out: 1. The CSV and XLSX exports carry "
            "every row.") in words
    assert len(TRACKING.findall(words)) == 2
    assert "Received 3" in words  # the figures still count every application
    app.config["KVKK_EXPORT_PDF_MAX_ROWS"] = 3
    assert "Left out" not in export_pdf(app, "applications")


def test_the_cli_writes_a_pdf_and_audits_the_rows_it_holds(app, dataset, outdir):  # noqa: F811
    out = outdir / "basvurular.pdf"
    result = run(app, "applications", "--format", "pdf", "--to", "31.03.2026",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    words = pdf_text(out.read_bytes())
    assert "Başvurular" in words and "Exported" not in words
    assert "komut satırından" in words
    assert TRACKING.findall(words) == [dataset.tracking["before"]]
    assert list(outdir.iterdir()) == [out]
    [(action, actor, data)] = events(app)
    assert (action, actor) == ("export.created", "system:cli")
    assert data["format"] == "pdf" and data["rows"] == 1


def test_an_auditor_downloads_a_pdf_that_names_them(app, dataset):
    client = login(app.test_client(), dataset.auditor)
    response = client.get("/auditor/exports/download?export=applications&format=pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith('.pdf"')
    words = pdf_text(response.get_data())
    assert f"Exported by {dataset.auditor.name}" in words
    assert len(TRACKING.findall(words)) == 3 and VALID_TCKN not in words
    for caption in CHART_CAPTIONS:
        assert caption in words
    [(action, actor, data)] = events(app)
    assert action == "export.created" and data["format"] == "pdf"


def test_the_pdf_reads_its_figures_beside_a_writer_holding_the_lock(app, dataset):
    # On SQLite every transaction takes the write lock up front (BEGIN IMMEDIATE); the PDF's
    # figures are read in a read-only transaction instead, so an office user saving a case
    # (or a caller's open transaction) neither blocks the export nor is blocked by it.
    with app.app_context():
        writer = db.engine.connect()
        writer.begin()
        try:
            writer.exec_driver_sql("SELECT 1")
            words = export_pdf(app, "applications")
        finally:
            writer.rollback()
            writer.close()
    assert "Received 3" in words and len(TRACKING.findall(words)) == 3
