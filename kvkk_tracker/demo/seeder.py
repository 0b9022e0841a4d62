"""Write demo applications in bulk: Core inserts in batches, one audit event per batch.

One ORM object and one audit event per application would take hours at a million rows. Rows
go in with executemany-style Core inserts instead, and each committed batch appends a single
"demo.seeded" event to the hash chain, through the same `audit.record()` that everything else
uses, so `kvkk-tracker audit verify` still passes. The per-application events of real intake
("application.received" and so on) are therefore absent from demo cases.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from ..domain.calendar import HolidayCalendar
from ..domain.deadlines import DeadlinePolicy
from ..models import (
    ApplicantMessage,
    Application,
    ApplicationRight,
    CaseNote,
    RightAction,
    User,
)
from ..services import audit
from ..services import users as user_service
from ..services.actors import Actor
from .scenario import DeadlineCache, Plan, Staff, plan_application, tracking_no

SEED_ACTOR = Actor("system", "demo-seed")
# (e-mail, name, role, title). The .test domain is reserved: these never reach a real inbox.
DEMO_STAFF = (
    ("zeynep.sahin@demo.kvkk.test", "Zeynep Şahin", "officer", "Hukuk Müşaviri"),
    ("ismail.cakir@demo.kvkk.test", "İsmail Çakır", "officer", "Avukat"),
    ("gulsen.ozturk@demo.kvkk.test", "Gülşen Öztürk", "officer", "KVKK Uzmanı"),
    ("ugur.ilhan@demo.kvkk.test", "Uğur İlhan", "officer", "KVKK Uzmanı"),
    ("omer.dogan@demo.kvkk.test", "Ömer Doğan", "supervisor", "Hukuk Birimi Müdürü"),
    ("ilgin.isik@demo.kvkk.test", "Ilgın Işık", "auditor", "İç Denetçi"),
)


@dataclass(frozen=True)
class StaffAccount:
    email: str
    name: str
    role: str
    password: str | None  # None when the account already existed: its password is unchanged


@dataclass
class SeedResult:
    seed: int
    applications: int = 0
    rights: int = 0
    actions: int = 0
    notes: int = 0
    messages: int = 0
    batches: int = 0
    by_status: Counter = field(default_factory=Counter)
    staff: list[StaffAccount] = field(default_factory=list)
    # One (tracking no, access code, status) per status, for trying the public status page.
    samples: dict[str, tuple[str, str]] = field(default_factory=dict)


def ensure_staff(session: Session, now: datetime) -> tuple[Staff, list[StaffAccount]]:
    """Create the demo staff that are missing; passwords are random, never derived from a seed.

    A seed is meant to be shared, so credentials computed from it would be public.
    """
    accounts, ids = [], {}
    for email, name, role, title in DEMO_STAFF:
        user = session.scalar(select(User).where(User.email == email))
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_service.create_user(session, SEED_ACTOR, now, email=email, name=name,
                                            role=role, password=password, title=title)
        accounts.append(StaffAccount(email, user.name, user.role, password))
        ids.setdefault(user.role, []).append(user.id)
    return Staff(tuple(ids["officer"]), ids["supervisor"][0]), accounts


def seed(session: Session, now: datetime, count: int, *, seed: int | None = None,
         calendar: HolidayCalendar, policy: DeadlinePolicy, batch_size: int = 5000,
         progress: Callable[[int], None] | None = None) -> SeedResult:
    """Create `count` demo applications received over the 60 days before `now`; commits.

    The same seed on the same database gives the same data (times relative to `now`). Each
    batch commits with its audit event, so an interrupted run leaves whole batches behind.
    """
    if seed is None:
        seed = secrets.randbelow(2**31)
    result = SeedResult(seed)
    staff, result.staff = ensure_staff(session, now)
    session.commit()
    # Reproducible on purpose, and demo-only: tracking numbers and access codes derived from a
    # shared seed are guessable, which is why production configurations refuse to seed.
    rng = random.Random(seed)  # noqa: S311
    _bulk_load_settings(session)
    deadlines = DeadlineCache(calendar, policy)
    seen: set[str] = set()
    while result.applications < count:
        size = min(batch_size, count - result.applications)
        plans = [plan_application(rng, now, staff, deadlines) for _ in range(size)]
        _unique_tracking_numbers(session, rng, plans, seen)
        first_id, last_id = _insert(session, plans, result)
        statuses = Counter(p.application["status"] for p in plans)
        channels = Counter(p.application["channel"] for p in plans)
        result.batches += 1
        audit.record(session, SEED_ACTOR, now, "demo.seeded", data={
            "seed": seed, "batch": result.batches, "applications": size,
            "first_id": first_id, "last_id": last_id,
            "by_status": dict(sorted(statuses.items())),
            "by_channel": dict(sorted(channels.items()))})
        session.commit()
        result.applications += size
        result.by_status.update(statuses)
        for plan in plans:
            status = plan.application["status"]
            if status not in result.samples:
                result.samples[status] = (plan.application["tracking_no"], plan.access_code)
        if progress is not None:
            progress(size)
    return result


def _bulk_load_settings(session: Session) -> None:
    """Give SQLite a bigger page cache for this connection.

    The unique tracking-number index and the name index take keys in random order; with the
    default 2 MB cache most inserts then wait on page reads once the table outgrows it.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA cache_size = -262144"))  # KiB: 256 MB


def _unique_tracking_numbers(session: Session, rng: random.Random, plans: list[Plan],
                             seen: set[str]) -> None:
    """Redraw tracking numbers that clash within the run or with rows already stored.

    40 random bits make a clash likely somewhere among a million numbers (the birthday bound),
    and the column is unique.
    """
    pending = plans
    while pending:
        numbers = [p.application["tracking_no"] for p in pending]
        taken = set()
        for i in range(0, len(numbers), 500):
            taken.update(session.scalars(select(Application.tracking_no).where(
                Application.tracking_no.in_(numbers[i:i + 500]))))
        clashes = []
        for plan in pending:
            number = plan.application["tracking_no"]
            if number in taken or number in seen:
                plan.application["tracking_no"] = tracking_no(rng, int(number[5:9]))
                clashes.append(plan)
            else:
                seen.add(number)
        pending = clashes


def _reserve_ids(session: Session, table, count: int) -> list[int]:
    """Return `count` fresh primary keys for `table`, so that child rows can refer to them.

    PostgreSQL hands them out from the column's sequence, safe beside other writers. SQLite
    takes the write lock at BEGIN IMMEDIATE (see database.py), so max(id) cannot move under
    us before the batch commits. (RETURNING would avoid this, but SQLAlchemy cannot batch an
    ordered RETURNING on SQLite and falls back to one statement per row.)
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count}))
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))


def _insert_rows(session: Session, table, rows: list[dict]) -> list[int]:
    ids = _reserve_ids(session, table, len(rows))
    for ident, row in zip(ids, rows, strict=True):
        row["id"] = ident
    if rows:
        session.execute(insert(table), rows)  # executemany: one statement, many rows
    return ids


def _insert(session: Session, plans: list[Plan], result: SeedResult) -> tuple[int, int]:
    app_ids = _insert_rows(session, Application.__table__, [p.application for p in plans])
    rights, actions_per_right = [], []
    notes, messages = [], []
    for app_id, plan in zip(app_ids, plans, strict=True):
        for right, actions in zip(plan.rights, plan.actions, strict=True):
            rights.append({**right, "application_id": app_id})
            actions_per_right.append(actions)
        notes.extend({**n, "application_id": app_id} for n in plan.notes)
        messages.extend({**m, "application_id": app_id} for m in plan.messages)
    right_ids = _insert_rows(session, ApplicationRight.__table__, rights)
    actions = [{**a, "application_right_id": right_id}
               for right_id, group in zip(right_ids, actions_per_right, strict=True)
               for a in group]
    for model, rows in ((RightAction, actions), (CaseNote, notes),
                        (ApplicantMessage, messages)):
        _insert_rows(session, model.__table__, rows)
    result.rights += len(rights)
    result.actions += len(actions)
    result.notes += len(notes)
    result.messages += len(messages)
    return app_ids[0], app_ids[-1]
