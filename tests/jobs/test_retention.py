"""Retention: closed cases are anonymised after three years, files deleted, statistics kept,
the destruction logged, and the audit chain left exactly as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.retention import retention
from kvkk_tracker.models import (
    Application,
    AuditEvent,
    CaseNote,
    DestructionRecord,
    DestructionRun,
    Notification,
    OutboxMessage,
)
from kvkk_tracker.services.attachments import IncomingFile
from kvkk_tracker.services.retention import (
    ERASED,
    RetentionSettings,
    RetentionSettingsError,
    closed_before,
    destruction_log,
)

from .conftest import ist

PDF = IncomingFile(kind="evidence", filename="kimlik_Isil_Caglayan.pdf",
                   data=b"%PDF-1.4\n% kimlik\n", media_type="application/pdf")
CLOSED_AT = ist(2023, 3, 1, 15, 0)
NOW = ist(2026, 3, 2, 3, 0)  # three years and a day after closure


@pytest.fixture
def closed_case(app, new_case, make_staff):
    officer = make_staff("officer", "memur@kurum.example")

    def build(closed_at=CLOSED_AT, status="closed") -> int:
        case = new_case(closed_at - timedelta(days=20), assignee_id=officer, files=(PDF,),
                        rights=("a", "e"))
        with app.app_context():
            application = db.session.get(Application, case)
            application.status = status
            application.closed_at = closed_at if status in ("closed", "withdrawn") else None
            application.replied_at = closed_at - timedelta(days=1)
            accepted, rejected = application.rights
            accepted.outcome = "accepted"
            rejected.outcome, rejected.reason_code = "rejected", "art28_2_a"
            rejected.justification = "Işıl Çağlayan hakkında soruşturma sürüyor."
            db.session.add(CaseNote(application_id=case, author_id=officer,
                                    body="Başvurucu telefonda 0532... dedi", created_at=NOW))
            db.session.add(Notification(user_id=officer, application_id=case, kind="reminder",
                                        data={}, created_at=NOW))
            db.session.commit()
        return case

    return build


def run_retention(app, now=NOW, **kwargs):
    with app.app_context():
        report = retention(db.session, now, **kwargs)
        db.session.remove()
        return report


def chain(app) -> list[tuple[int, str]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id))]


def test_a_closed_case_is_anonymised_after_three_years(app, closed_case, upload_dir):
    case = closed_case()
    stored = list(upload_dir.iterdir())
    assert len(stored) == 1
    before = chain(app)
    report = run_retention(app)
    assert (report.applications, report.files) == (1, 1)
    assert list(upload_dir.iterdir()) == []  # the file itself is gone
    with app.app_context():
        application = db.session.get(Application, case)
        assert (application.first_name, application.last_name) == ("Anonim", "")
        assert application.tckn is None and application.email is None
        assert application.address == "" and application.subject == ERASED
        assert application.attachments == []
        # The anonymised statistics stay.
        assert application.channel == "web" and application.status == "closed"
        assert application.closed_at == CLOSED_AT and application.replied_at is not None
        assert [(r.right_code, r.outcome, r.reason_code) for r in application.rights] == [
            ("a", "accepted", None), ("e", "rejected", "art28_2_a")]
        assert application.rights[1].justification == ERASED
        for model in (CaseNote, Notification, OutboxMessage):
            assert db.session.scalar(select(func.count()).select_from(model).where(
                model.application_id == case)) == 0
        [entry] = destruction_log(db.session)
        assert entry.application_id == case and entry.method == "anonymisation"
        assert entry.performed_by == "system:retention"
        assert entry.what["files_deleted"] == 1 and entry.what["notes"] == 1
        assert "01.03.2023" in entry.basis
        run = db.session.get(DestructionRun, report.run_id)
        assert run.state == "finished" and run.applications == 1 and run.retention_years == 3
        from kvkk_tracker.services.audit import verify_chain

        assert verify_chain(db.session).ok
    after = chain(app)
    assert after[:len(before)] == before  # not one existing audit row changed
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.id > before[-1][0]).order_by(AuditEvent.id)).all()
    assert actions == ["application.anonymised", "retention.run"]


@pytest.mark.parametrize(("closed_at", "status"), [
    (NOW - timedelta(days=3 * 365 - 5), "closed"),  # not three years yet
    (CLOSED_AT, "replied"),  # replied but never closed
    (CLOSED_AT, "in_review"),  # open cases are never destroyed
])
def test_what_is_kept(app, closed_case, upload_dir, closed_at, status):
    case = closed_case(closed_at, status)
    assert run_retention(app).applications == 0
    with app.app_context():
        assert db.session.get(Application, case).first_name == "Işıl"
    assert len(list(upload_dir.iterdir())) == 1


def test_withdrawn_cases_go_too(app, closed_case):
    closed_case(status="withdrawn")
    assert run_retention(app).applications == 1


def test_dry_run_lists_and_changes_nothing(app, closed_case, runner):
    case = closed_case()
    closed_case(NOW - timedelta(days=10))
    result = runner.invoke(args=["retention", "--dry-run", "--now", "2026-03-02T03:00"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("would anonymise KVKK-")
    assert "closed 01.03.2023, 1 attachments" in lines[0]
    assert lines[1] == "dry run at 02.03.2026 03:00: 1 applications would be anonymised"
    with app.app_context():
        assert db.session.get(Application, case).first_name == "Işıl"
        assert db.session.scalar(select(func.count()).select_from(DestructionRun)) == 0


def test_runs_repeat_at_the_interval_and_never_twice_on_a_case(app, closed_case, runner):
    closed_case()
    assert run_retention(app).applications == 1
    assert run_retention(app, NOW + timedelta(hours=2)).skipped  # ran today already
    closed_case(ist(2023, 3, 1, 20, 0))
    report = run_retention(app, NOW + timedelta(days=1))
    assert report.applications == 1 and report.skipped is None
    result = runner.invoke(args=["retention", "--now", "2026-03-03T05:00", "--force"])
    assert "0 applications anonymised" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DestructionRecord)) == 2
        assert db.session.scalar(select(func.count()).select_from(DestructionRun)) == 3


def test_cli_run_is_logged_as_the_cli(app, closed_case, runner):
    closed_case()
    result = runner.invoke(args=["retention", "--now", "2026-03-02T03:00"])
    assert "anonymised KVKK-" in result.output and "1 files deleted" in result.output
    with app.app_context():
        assert db.session.scalar(select(DestructionRecord.performed_by)) == "system:cli"


@pytest.mark.parametrize(("years", "interval", "ok"), [
    (3, 1, True), (3, 180, True), (3, 181, False), (3, 0, False), (0, 1, False), (10, 30, True),
])
def test_settings_are_checked(years, interval, ok):
    if ok:
        RetentionSettings(years, interval)
    else:
        with pytest.raises(RetentionSettingsError):
            RetentionSettings(years, interval)


@pytest.mark.parametrize(("now", "years", "expected"), [
    (datetime(2026, 3, 2, tzinfo=UTC), 3, datetime(2023, 3, 2, tzinfo=UTC)),
    (datetime(2028, 2, 29, 12, tzinfo=UTC), 3, datetime(2025, 2, 28, 12, tzinfo=UTC)),
])
def test_closed_before(now, years, expected):
    assert closed_before(now, years) == expected


def test_missing_files_do_not_stop_destruction(app, closed_case, upload_dir):
    closed_case()
    for path in upload_dir.iterdir():
        Path(path).unlink()
    assert run_retention(app).applications == 1
