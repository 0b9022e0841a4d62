"""`kvkk-tracker export`: exit codes, the file, and the audit event with its row count."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent

from .conftest import VALID_TCKN, read_csv


@pytest.fixture
def outdir(tmp_path):
    path = tmp_path / "out"
    path.mkdir()
    return path


def run(app, *args):
    return app.test_cli_runner().invoke(args=["export", *args])


def events(app) -> list[tuple[str, str, dict]]:
    with app.app_context():
        return [(e.action, e.actor, e.data) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("export.%")).order_by(AuditEvent.id))]


def test_a_csv_for_a_period_is_written_and_audited_with_its_rows(app, dataset, outdir):
    out = outdir / "basvurular.csv"
    result = run(app, "applications", "--format", "csv", "--from", "2026-04-01",
                 "--to", "15.04.2026", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 rows written" in result.output
    rows = read_csv(out.read_bytes())
    assert len(rows) == 3 and VALID_TCKN not in out.read_text("utf-8-sig")
    assert list(outdir.iterdir()) == [out]  # no part file left behind
    [(action, actor, data)] = events(app)
    assert (action, actor) == ("export.created", "system:cli")
    assert data["rows"] == 2 and data["via"] == "cli"
    assert data["period"] == {"from": "2026-04-01", "to": "2026-04-15"}


def test_an_xlsx_of_the_audit_trail(app, dataset, outdir):
    out = outdir / "audit.xlsx"
    result = run(app, "audit", "--format", "xlsx", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A1"].value == "No" and sheet.max_row > 3


def test_unmasked_needs_a_supervisor(app, dataset, outdir):
    out = outdir / "full.csv"
    result = run(app, "applications", "--format", "csv", "--unmasked", "--out", str(out))
    assert result.exit_code == 2 and "--actor" in result.output
    result = run(app, "applications", "--format", "csv", "--unmasked", "--actor",
                 dataset.auditor.email, "--out", str(out))
    assert result.exit_code == 1 and "only a supervisor" in result.output
    result = run(app, "applications", "--format", "csv", "--unmasked", "--actor",
                 dataset.officer.email, "--out", str(out))
    assert result.exit_code == 1
    assert not out.exists() and events(app) == []
    result = run(app, "applications", "--format", "csv", "--unmasked", "--actor",
                 dataset.supervisor.email.upper(), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert VALID_TCKN in out.read_text("utf-8-sig")
    [(action, actor, data)] = events(app)
    assert action == "export.unmasked" and actor == f"user:{dataset.supervisor.id}"
    assert data["rows"] == 3 and data["masked"] is False


def test_bad_arguments_are_usage_errors(app, dataset, outdir):
    out = str(outdir / "x.csv")
    for args in (["applications", "--format", "csv", "--from", "31.02.2026", "--out", out],
                 ["applications", "--format", "csv", "--from", "2026-04-02", "--to",
                  "2026-04-01", "--out", out],
                 ["applications", "--format", "csv", "--from", "0001-01-01", "--out", out],
                 ["users", "--format", "csv", "--out", out],
                 ["applications", "--format", "ods", "--out", out]):
        result = run(app, *args)
        assert result.exit_code == 2, (args, result.output)
    assert list(outdir.iterdir()) == [] and events(app) == []


def test_an_unwritable_destination_fails_cleanly(app, dataset, outdir):
    result = run(app, "applications", "--format", "csv", "--out",
                 str(outdir / "missing" / "x.csv"))
    assert result.exit_code != 0
    assert events(app) == []
