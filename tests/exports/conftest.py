"""A small dataset for the exports: every export has rows, hostile text and day boundaries.

- three applications: received 31.03.2026 23:59:59 and 01.04.2026 00:00 Istanbul (either side
  of a day boundary) with a T.C. number, and 15.04.2026 with a passport number;
- an officer named like a formula, assigned to the first and deciding two rights, one
  rejection whose justification starts with each character a spreadsheet would evaluate;
- reminders (one sent, one superseded) and a destruction record;
- the audit trail the intake writes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import (
    Application,
    ApplicationRight,
    DestructionRecord,
    DestructionRun,
    Reminder,
)
from tests.builders import VALID_TCKN
from tests.office.conftest import Staff, make_user

PASSPORT = "U98765432"
EVIL_NAME = "=HYPERLINK(\"http://x\",\"y\")"
EVIL_TEXTS = ("+1+2 kabul edilmedi", "-2+3", "@SUM(A1)", "\tgizli", "\rsatır", "=cmd|' /C calc'!A0")
BOUNDARY_BEFORE = datetime(2026, 3, 31, 20, 59, 59, tzinfo=UTC)  # 31.03.2026 23:59:59 Istanbul
BOUNDARY_AFTER = datetime(2026, 3, 31, 21, 0, tzinfo=UTC)  # 01.04.2026 00:00 Istanbul
LATER = datetime(2026, 4, 15, 7, 30, tzinfo=UTC)  # 15.04.2026 10:30 Istanbul


@dataclass(frozen=True)
class Dataset:
    tracking: dict[str, str]
    officer: Staff
    supervisor: Staff
    auditor: Staff
    admin: Staff


def build_dataset(app, create_application) -> Dataset:
    officer = make_user(app, "officer", name=EVIL_NAME)
    staff = {role: make_user(app, role) for role in ("supervisor", "auditor", "admin")}
    tracking = {
        "before": create_application(now=BOUNDARY_BEFORE, rights=("a", "b", "e"))[0],
        "after": create_application(now=BOUNDARY_AFTER)[0],
        "passport": create_application(now=LATER, nationality="DE", tckn=None,
                                       passport_no=PASSPORT)[0],
    }
    with app.app_context():
        first = db.session.scalar(select(Application).where(
            Application.tracking_no == tracking["before"]))
        first.assignee_id = officer.id
        decided = datetime(2026, 4, 10, 9, 15, tzinfo=UTC)
        for right in first.rights:
            if right.right_code == "a":
                right.outcome, right.decided_at = "accepted", decided
            elif right.right_code == "b":
                right.outcome, right.reason_code = "rejected", "no_data"
                right.justification = "\n".join(EVIL_TEXTS)
                right.decided_at = decided
            else:
                continue  # "e" stays undecided: not a decision
            right.decided_by_id = officer.id
        for rung, state in (("d10", "sent"), ("d5", "superseded")):
            db.session.add(Reminder(application_id=first.id, rung=rung, state=state,
                                    due_at=decided, recorded_at=decided))
        run = DestructionRun(started_at=LATER, state="finished", performed_by="system:retention",
                             method="anonymisation", retention_years=3, closed_before=LATER)
        db.session.add(run)
        db.session.flush()
        db.session.add(DestructionRecord(
            run_id=run.id, application_id=first.id, tracking_no=first.tracking_no,
            method="anonymisation", what={"fields": ["tckn", "address"]},
            basis="-closed 01.03.2023, kept 3 years", performed_at=LATER,
            performed_by="system:retention"))
        db.session.commit()
    return Dataset(tracking, officer, **staff)


@pytest.fixture
def dataset(app, create_application) -> Dataset:
    return build_dataset(app, create_application)


def read_csv(data: bytes, delimiter: str = ";") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                           delimiter=delimiter))


def rights_of(app, tracking_no: str) -> list[ApplicationRight]:
    with app.app_context():
        return list(db.session.scalars(select(ApplicationRight).join(Application).where(
            Application.tracking_no == tracking_no)))


__all__ = ["EVIL_NAME", "EVIL_TEXTS", "PASSPORT", "VALID_TCKN", "Dataset", "read_csv"]
