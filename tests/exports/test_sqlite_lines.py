"""The CSV fast path on SQLite writes exactly what the Python path writes.

An auditor must get the same file whichever path wrote it: the same Istanbul times (across
every change of Istanbul's offset since 1800), the same masks, the same disarmed formulas and
the same quoting as csv.writer.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column as SqlColumn
from sqlalchemy import MetaData, String, Table, create_engine, insert, select, update

from kvkk_tracker.exports import EXPORTS, WRITERS, ExportRequest, Period, open_table
from kvkk_tracker.exports.catalogue import mask_identity_no, sql_mask_identity_no
from kvkk_tracker.exports.sqlite_lines import (
    SCAN_STEP,
    csv_field,
    csv_lines,
    istanbul_offsets,
    local_time,
)
from kvkk_tracker.exports.values import neutralise, text_converter
from kvkk_tracker.exports.writers import csv_writer
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application

from .conftest import EVIL_NAME, EVIL_TEXTS

HOSTILE = ["", "a", "düz metin", "İstanbul; Çağlayan", 'tırnak "içinde"', "virgül, burada",
           "satır\nsonu", "satır\r\nsonu", "\rbaşta", "\tsekme", "=1+1", "+90 555", "-5",
           "@SUM(A1)", "'=zaten", " boşluk", "x" * 300, EVIL_NAME, *EVIL_TEXTS, ";", '"', ","]


def scratch(values: list[str | None]) -> tuple[object, Table]:
    engine = create_engine("sqlite://")
    table = Table("t", MetaData(), SqlColumn("v", String))
    table.create(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), [{"v": v} for v in values])
    return engine, table


def rendered(engine, table, expression) -> list:
    with engine.connect() as connection:
        return list(connection.scalars(select(expression).select_from(table)))


def csv_text(cells: list[str], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


@pytest.mark.parametrize("delimiter", [";", ","])
def test_text_cells_are_disarmed_and_quoted_as_csv_writer_does(delimiter):
    engine, table = scratch(HOSTILE)
    got = rendered(engine, table, csv_field(table.c.v, delimiter))
    # Put each cell between two plain ones, so csv.writer quotes it as it would mid-row.
    for value, cell in zip(HOSTILE, got, strict=True):
        expected = csv_text(["a", neutralise(value), "b"], delimiter)
        assert f"a{delimiter}{cell}{delimiter}b\r\n" == expected, repr(value)


def test_identity_numbers_are_masked_as_in_python():
    values = ["", "1", "12", "123456", "1234567", "17234567860", "U98765432", "İŞĞÜÇÖ12ıi",
              "A" * 30, None]
    engine, table = scratch(values)
    got = rendered(engine, table, sql_mask_identity_no(table.c.v))
    assert got == [mask_identity_no(v) for v in values]


def stamps() -> list[str]:
    """Either side of every offset change, plus random moments 1850-2100, as SQLite stores."""
    moments = []
    for start, _ in istanbul_offsets():
        edge = datetime.fromisoformat(start).replace(tzinfo=UTC)
        moments += [edge - timedelta(seconds=1), edge, edge + timedelta(minutes=59, seconds=59)]
    rng = random.Random(6698)  # noqa: S311 (reproducible)
    first, span = datetime(1850, 1, 1, tzinfo=UTC), 250 * 365 * 86400
    moments += [first + timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(10**6))
                for _ in range(3000)]
    return [m.strftime("%Y-%m-%d %H:%M:%S.%f") for m in moments]


def test_istanbul_offsets_cover_the_known_changes():
    # The summer time that began on 27.03.2016 was kept all year from September 2016 on.
    assert istanbul_offsets()[-1] == ("2016-03-27 01:00:00", 3 * 3600)
    spans = dict(istanbul_offsets())
    assert spans["2015-11-08 01:00:00"] == 2 * 3600  # winter time, a week late for the vote
    # The weekly scan that finds them would miss two changes closer than a week apart.
    starts = [datetime.fromisoformat(start) for start in spans]
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) > 2 * SCAN_STEP
    assert len(spans) > 50


@pytest.mark.parametrize("day_first", [True, False])
def test_utc_stamps_become_the_same_istanbul_wall_clock(day_first):
    values = stamps()
    engine, table = scratch(values)
    got = rendered(engine, table, local_time(table.c.v, day_first))
    convert = text_converter("datetime", "sqlite", day_first)
    mismatches = [(v, g, convert(v)) for v, g in zip(values, got, strict=True) if g != convert(v)]
    assert not mismatches[:5]


def both_paths(app, monkeypatch, name: str, *, masked: bool, lang: str) -> tuple[bytes, bytes]:
    def take() -> bytes:
        with app.app_context():
            table = open_table(db.session, ExportRequest(name, "csv", Period(), masked, lang))
            return b"".join(WRITERS["csv"].chunks(table))

    fast = take()
    with monkeypatch.context() as patch:
        patch.setattr(csv_writer, "csv_text", lambda *args: None)
        slow = take()
    return fast, slow


@pytest.mark.parametrize("lang", ["tr", "en"])
@pytest.mark.parametrize("masked", [True, False])
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_is_the_same_file_on_either_path(app, dataset, monkeypatch, name, masked,
                                                      lang):
    with app.app_context():
        # One row with hostile values where the dataset has plain ones (so that a batch mixes
        # rows that need quoting with rows that do not), and a stamp from summer time.
        db.session.execute(update(Application).where(
            Application.tracking_no == dataset.tracking["passport"]).values(
            reply_channel='posta; "iadeli"', identity_method="=kep",
            passport_no='U9;"8\r\n7654', replied_at=datetime(2011, 7, 1, 12, 30, 15, tzinfo=UTC)))
        db.session.commit()
    fast, slow = both_paths(app, monkeypatch, name, masked=masked, lang=lang)
    assert fast == slow
    assert fast.count(b"\r\n") > 1  # header and rows


def test_plain_rows_are_left_unquoted_and_only_the_odd_row_is_redone(app, dataset, monkeypatch):
    with app.app_context():
        db.session.execute(update(Application).where(
            Application.tracking_no == dataset.tracking["after"]).values(
            identity_method="e-imza, KEP"))
        db.session.commit()
    fast, slow = both_paths(app, monkeypatch, "applications", masked=True, lang="en")
    assert fast == slow
    lines = {line.split(",")[0]: line for line in fast.decode("utf-8-sig").split("\r\n")}
    assert '"e-imza, KEP"' in lines[dataset.tracking["after"]]
    assert '"' not in lines[dataset.tracking["passport"]]


def test_the_fast_path_declines_a_mask_it_cannot_do(app):
    with app.app_context():
        assert csv_lines(ExportRequest("applications", "csv"), ";", True,
                         quoted=True) is not None
        # The audit export's IP mask has no SQL form: the Python path writes it.
        assert csv_lines(ExportRequest("audit", "csv"), ";", True, quoted=True) is None
        assert csv_lines(ExportRequest("audit", "csv", masked=False), ";", True,
                         quoted=True) is not None
