"""A small, fixed dataset built through the real services, for the report figures.

Every case is received at a fixed moment and worked with fixed `now` values, so that each
expected figure can be worked out by hand (see test_figures.py). Times are Istanbul (UTC+3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import ISTANBUL, DeadlinePolicy
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, User
from kvkk_tracker.services import cases
from kvkk_tracker.services import letters as letter_service
from kvkk_tracker.services.actors import public_actor
from kvkk_tracker.services.attachments import FileStash
from kvkk_tracker.services.intake import ApplicationInput, submit_application
from kvkk_tracker.services.replies import record_reply
from tests.builders import VALID_TCKN
from tests.office.conftest import Staff, make_user, shared_app

# "Today" for every report in these tests: 20.01.2026 12:00 in Istanbul.
NOW = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)


def istanbul(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ISTANBUL)


@dataclass(frozen=True)
class Spec:
    """One case of the dataset: who works it, what is decided, when the reply goes out."""

    key: str
    received_at: datetime
    channel: str
    rights: dict[str, tuple[str, str | None] | None]  # right -> (outcome, reason) or undecided
    officer: str | None = None  # "o1" | "o2" | None (the pool)
    replied_on: date | None = None
    withdrawn_on: date | None = None
    in_review: bool = False


SPECS = (
    # due 02.04.2025 (Wed); replied after 10 days: on time.
    Spec("A", istanbul(date(2025, 3, 3)), "web", {"a": ("accepted", None)}, "o1",
         replied_on=date(2025, 3, 13)),
    # due 09.04.2025 (Wed), outer the same day; replied 14.04: 35 days, 5 late, beyond outer.
    Spec("B", istanbul(date(2025, 3, 10)), "kep", {"e": ("rejected", "no_data_held")}, "o1",
         replied_on=date(2025, 4, 14)),
    # due 31.05.2025 is a Saturday: outer limit Monday 02.06; replied 02.06: 32 days,
    # 2 days late by the statutory date but on time by the outer limit.
    Spec("C", istanbul(date(2025, 5, 1)), "web", {"b": ("accepted", None)}, "o2",
         replied_on=date(2025, 6, 2)),
    # withdrawn: never in the on-time rate.
    Spec("D", istanbul(date(2025, 6, 16)), "web", {"a": None}, "o2",
         withdrawn_on=date(2025, 6, 20)),
    # the same day: 0 days.
    Spec("H", istanbul(date(2025, 7, 7)), "web", {"d": ("accepted", None)}, "o2",
         replied_on=date(2025, 7, 7)),
    # 30.09.2025 22:30 UTC is 01.10.2025 01:30 in Istanbul: day 0 is 01.10 (Q4, not
    # September); due 31.10.2025 (Fri); replied that day: 30 days, on time.
    Spec("I", datetime(2025, 9, 30, 22, 30, tzinfo=UTC), "kep",
         {"a": ("partially_accepted", "art28_2_b")}, "o1", replied_on=date(2025, 10, 31)),
    # still in review, due 03.12.2025: overdue on 20.01.2026.
    Spec("F", istanbul(date(2025, 11, 3)), "kep", {"a": None}, "o1", in_review=True),
    # across the year end: received 15.12.2025, due 14.01.2026, replied 05.01.2026: 21 days.
    Spec("E", istanbul(date(2025, 12, 15)), "web",
         {"a": ("accepted", None), "cc": ("rejected", "art28_2_a")}, "o2",
         replied_on=date(2026, 1, 5)),
    # received 29.12.2025, due 28.01.2026: open, not overdue on 20.01.2026, in the pool.
    Spec("G", istanbul(date(2025, 12, 29)), "web", {"a": None}),
    # outside 2025: received 20.12.2024, replied 10.01.2025.
    Spec("J", istanbul(date(2024, 12, 20)), "web", {"a": ("accepted", None)}, "o1",
         replied_on=date(2025, 1, 10)),
)


@dataclass
class Dataset:
    app: object
    users: dict[str, Staff]
    tracking: dict[str, str]


def _input(rights) -> ApplicationInput:
    return ApplicationInput(
        first_name="Işıl", last_name="Çağlayan", nationality="TR", tckn=VALID_TCKN,
        passport_no=None, address="Kızılay, Çankaya/Ankara", email="isil@example.com.tr",
        phone=None, relationship="customer", rights=tuple(rights),
        subject="Hangi verilerimi işliyorsunuz?", reply_channel="email")


def _work(session, spec: Spec, application: Application, staff: dict[str, User]) -> None:
    """Take the case through the real services, each step an hour after the last."""
    clock = iter(spec.received_at + timedelta(hours=h) for h in range(1, 100))
    if spec.officer is None:
        return
    officer, supervisor = staff[spec.officer], staff["supervisor"]
    cases.take(session, officer, next(clock), application)
    if spec.withdrawn_on:
        cases.change_status(session, officer, istanbul(spec.withdrawn_on), application,
                            "withdrawn")
        return
    cases.change_status(session, officer, next(clock), application, "in_review")
    if spec.in_review:
        return
    cases.verify_identity(session, officer, next(clock), application, method="kep",
                          result="verified")
    for code, (outcome, reason) in spec.rights.items():
        cases.decide_right(session, officer, next(clock), application, right_code=code,
                           outcome=outcome, reason_code=reason,
                           justification="Gerekçe" if reason else None)
    cases.change_status(session, officer, next(clock), application, "decided")
    cases.approve(session, supervisor, next(clock), application)
    # A reply goes out as a finalised letter (services/replies.py refuses one without).
    letter_service.finalise(session, officer, next(clock), application, "reply",
                            config=current_app.config)
    # The reply is recorded the morning after it was sent: the figures count the day it went
    # out (sent_on), not the day someone noted it.
    recorded = max(next(clock), istanbul(spec.replied_on + timedelta(days=1), 9))
    record_reply(session, officer, recorded, application, channel="email",
                 sent_on=spec.replied_on)


def build_dataset(app) -> Dataset:
    users = {"o1": make_user(app, "officer", name="Ayşe Officer"),
             "o2": make_user(app, "officer", name="Burak Officer"),
             "supervisor": make_user(app, "supervisor", name="Cem Supervisor"),
             "auditor": make_user(app, "auditor", name="Deniz Auditor")}
    tracking = {}
    with app.app_context():
        staff = {key: db.session.get(User, user.id) for key, user in users.items()}
        stash = FileStash(Path(app.config["KVKK_UPLOAD_DIR"]))
        for spec in SPECS:
            submission = submit_application(
                db.session, public_actor("127.0.0.1"), spec.received_at, _input(spec.rights),
                channel=spec.channel, calendar=HolidayCalendar(), policy=DeadlinePolicy(),
                stash=stash)
            _work(db.session, spec, submission.application, staff)
            db.session.commit()
            tracking[spec.key] = submission.application.tracking_no
        assert db.session.scalar(select(Application).where(
            Application.tracking_no == tracking["C"])).outer_due == date(2025, 6, 2)
    return Dataset(app, users, tracking)


@pytest.fixture(scope="module")
def dataset(db_template, tmp_path_factory):
    with shared_app(db_template, tmp_path_factory, build_dataset) as (_app, made):
        yield made
