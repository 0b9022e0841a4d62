"""Every export, read back with the csv module and openpyxl, as an auditor's Excel would."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from kvkk_tracker.exports import EXPORTS, WRITERS, ExportRequest, Period, open_table
from kvkk_tracker.exports.writers import xlsx_writer
from kvkk_tracker.extensions import db

from .conftest import EVIL_NAME, EVIL_TEXTS, PASSPORT, VALID_TCKN, read_csv

EXPECTED_ROWS = {"applications": 3, "decisions": 2, "reminders": 1, "destruction": 1}


def export_bytes(app, name: str, fmt: str, period: Period | None = None, *, masked=True,
                 lang="tr") -> bytes:
    with app.app_context():
        table = open_table(db.session, ExportRequest(name, fmt, period or Period(), masked,
                                                     lang))
        return b"".join(WRITERS[fmt].chunks(table))


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def all_cells(book) -> list:
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row]


@pytest.mark.parametrize("name", sorted(EXPECTED_ROWS))
def test_csv_has_the_declared_headers_and_one_row_per_record(app, dataset, name):
    rows = read_csv(export_bytes(app, name, "csv"))
    assert rows[0] == [c.tr for c in EXPORTS[name].columns]
    assert len(rows) - 1 == EXPECTED_ROWS[name]


def test_the_audit_export_lists_every_event_with_its_hash(app, dataset):
    rows = read_csv(export_bytes(app, "audit", "csv", lang="en"), delimiter=",")
    assert rows[0][:4] == ["No", "When", "Actor", "Action"]
    received = [r for r in rows[1:] if r[3] == "application.received"]
    assert {r[4] for r in received} == set(dataset.tracking.values())
    assert all(len(r[8]) == 64 for r in rows[1:])


def test_applications_csv_masks_identity_numbers_and_shows_istanbul_time(app, dataset):
    data = export_bytes(app, "applications", "csv")
    assert VALID_TCKN.encode() not in data and PASSPORT.encode() not in data
    rows = {r[0]: r for r in read_csv(data)[1:]}
    header = read_csv(data)[0]
    ident, received = header.index("Kimlik/pasaport no"), header.index("Başvuru tarihi")
    assert rows[dataset.tracking["before"]][ident] == "172******60"
    assert rows[dataset.tracking["passport"]][ident] == "U98****32"
    assert rows[dataset.tracking["before"]][received] == "31.03.2026 23:59"
    assert rows[dataset.tracking["after"]][received] == "01.04.2026 00:00"
    assert rows[dataset.tracking["passport"]][header.index("Yasal son gün")].count(".") == 2


def test_english_csv_uses_commas_and_iso_dates(app, dataset):
    rows = read_csv(export_bytes(app, "applications", "csv", lang="en"), delimiter=",")
    assert rows[0][:2] == ["Tracking no", "Received"]
    stamps = sorted(r[1] for r in rows[1:])
    assert stamps == ["2026-03-31 23:59", "2026-04-01 00:00", "2026-04-15 10:30"]


def test_csv_disarms_every_cell_a_spreadsheet_would_evaluate(app, dataset):
    rows = read_csv(export_bytes(app, "decisions", "csv"))
    header = rows[0]
    decided_by = [r[header.index("Karar veren")] for r in rows[1:]]
    assert decided_by == ["'" + EVIL_NAME] * 2
    justification = next(r[header.index("Gerekçe")] for r in rows[1:] if r[2] == "rejected")
    assert justification.startswith("'+1+2")  # the text is kept, behind a quote
    assert justification[1:] == "\n".join(EVIL_TEXTS)
    destruction = read_csv(export_bytes(app, "destruction", "csv"))
    assert destruction[1][5] == "'-closed 01.03.2023, kept 3 years"
    for row in rows[1:] + destruction[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_unmasked_export_shows_the_numbers(app, dataset):
    data = export_bytes(app, "applications", "csv", masked=False)
    assert VALID_TCKN.encode() in data and PASSPORT.encode() in data


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 4, 1), None, {"after", "passport"}),
    (None, date(2026, 3, 31), {"before"}),
    (date(2026, 3, 31), date(2026, 3, 31), {"before"}),
    (date(2026, 4, 1), date(2026, 4, 1), {"after"}),
    (date(2026, 4, 2), date(2026, 4, 14), set()),
])
def test_the_period_is_whole_istanbul_days(app, dataset, start, end, expected):
    for fmt in ("csv", "xlsx"):
        data = export_bytes(app, "applications", fmt, Period(start, end))
        if fmt == "csv":
            found = {r[0] for r in read_csv(data)[1:]}
        else:
            found = {row[0] for row in workbook(data).active.iter_rows(min_row=2,
                                                                       values_only=True)}
        assert found == {dataset.tracking[key] for key in expected}


def test_a_period_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before"):
        Period(date(2026, 4, 2), date(2026, 4, 1))
    with pytest.raises(ValueError, match="years"):
        Period(date(1, 1, 1), None)


def test_xlsx_has_real_dates_a_bold_frozen_header_and_no_identity_numbers(app, dataset):
    book = workbook(export_bytes(app, "applications", "xlsx"))
    sheet = book.active
    assert sheet.title == "Başvurular"
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == [c.tr for c in EXPORTS["applications"].columns]
    assert all(cell.font.b for cell in sheet[1])
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 3
    first = rows[dataset.tracking["before"]]
    received, due = first[header.index("Başvuru tarihi")], first[header.index("Yasal son gün")]
    assert received.value == datetime(2026, 3, 31, 23, 59, 59)
    assert received.number_format == "dd.mm.yyyy hh:mm"
    assert isinstance(due.value, datetime) and due.number_format == "dd.mm.yyyy"
    assert first[header.index("Kimlik/pasaport no")].value == "172******60"
    assert not any(VALID_TCKN in str(v) or PASSPORT in str(v) for v in all_cells(book))


def test_xlsx_keeps_formula_like_text_as_text(app, dataset):
    sheet = workbook(export_bytes(app, "decisions", "xlsx", lang="en")).active
    header = [cell.value for cell in sheet[1]]
    decided_by = [row[header.index("Decided by")] for row in sheet.iter_rows(min_row=2)]
    for cell in decided_by:
        assert cell.value == EVIL_NAME and cell.data_type == "s" and cell.quotePrefix
    justification = next(row[header.index("Justification")] for row in sheet.iter_rows(min_row=2)
                         if row[2].value == "rejected")
    assert justification.data_type == "s" and justification.quotePrefix
    assert justification.value == "\n".join(EVIL_TEXTS)


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(app, dataset, monkeypatch):
    monkeypatch.setattr(xlsx_writer, "MAX_ROWS", 2)  # the header and one row per sheet
    book = workbook(export_bytes(app, "applications", "xlsx", lang="en"))
    assert book.sheetnames == ["Applications", "Applications (2)", "Applications (3)"]
    for sheet in book.worksheets:
        assert sheet.max_row == 2 and sheet["A1"].value == "Tracking no"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_empty_export_still_has_its_header(app, dataset, fmt):
    data = export_bytes(app, "applications", fmt, Period(date(2030, 1, 1), None))
    if fmt == "csv":
        assert read_csv(data) == [[c.tr for c in EXPORTS["applications"].columns]]
    else:
        assert workbook(data).active.max_row == 1
