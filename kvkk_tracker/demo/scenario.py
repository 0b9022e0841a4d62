"""Plan one demo application: its receipt, where it stands now, and a history that fits.

Pure Python: a `random.Random`, the staff ids and `now` go in; plain dicts come out, ready for
bulk inserts. The history obeys the same rules as the services: the workflow table, decided
cases have every right decided, accepting needs a verified identity, rejections carry a reason
code and a justification, and timestamps run in order between receipt and `now`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..domain.calendar import HolidayCalendar
from ..domain.deadlines import DeadlinePolicy, Reason, compute_deadline, to_istanbul
from ..domain.identifiers import CROCKFORD, hash_access_code
from ..domain.rights import RIGHT_CODES
from ..domain.text import format_date, tr_fold
from ..domain.workflow import OPEN_STATUSES
from . import texts
from .people import random_person
from .weighted import Weighted

WINDOW = timedelta(days=60)
CHANNELS = Weighted({"web": 45, "written": 15, "kep": 14, "e_signature": 8,
                     "mobile_signature": 6, "registered_email": 12})
RIGHT_COUNTS = Weighted({1: 45, 2: 30, 3: 17, 4: 8})
RIGHTS = Weighted({"a": 25, "b": 20, "c": 10, "cc": 8, "d": 9, "e": 15, "f": 4, "g": 3,
                   "gg": 3, "other": 4})
# Where an application stands depends on how long ago it arrived (upper bound in days):
# most recent ones wait in the pool, most older ones are replied or closed, a few are overdue.
STATUS_BY_AGE = (
    (3, Weighted({"received": 55, "in_review": 33, "awaiting_applicant": 5, "decided": 5,
                  "withdrawn": 2})),
    (15, Weighted({"received": 10, "in_review": 35, "awaiting_applicant": 15, "decided": 10,
                   "replied": 20, "closed": 5, "withdrawn": 5})),
    (30, Weighted({"received": 3, "in_review": 14, "awaiting_applicant": 7, "decided": 10,
                   "replied": 36, "closed": 25, "withdrawn": 5})),
    (None, Weighted({"received": 1, "in_review": 3, "awaiting_applicant": 2, "decided": 2,
                     "replied": 30, "closed": 55, "withdrawn": 7})),
)
OPEN = frozenset(s.value for s in OPEN_STATUSES)
# Status changes needed to reach each status from received (for the version counter).
STEPS = {"received": 0, "in_review": 1, "awaiting_applicant": 2, "decided": 2, "replied": 3,
         "closed": 4, "withdrawn": 1}
IDENTITY_METHOD_BY_CHANNEL = {"kep": "kep", "e_signature": "e_signature",
                              "mobile_signature": "mobile_signature",
                              "registered_email": "registered_email"}
RELATIONSHIPS = Weighted({"customer": 45, "citizen": 15, "employee": 10, "former_employee": 10,
                          "applicant_job": 8, "visitor": 7, "other": 5})
IDENTITY_IN_REVIEW = Weighted({"pending": 45, "verified": 45, "failed": 10})
IDENTITY_DECIDED = Weighted({"verified": 93, "failed": 7})
REPLY_CHANNELS = Weighted({"email": 70, "post": 20, "in_person": 5, "kep": 5})


@dataclass(frozen=True)
class Staff:
    officers: tuple[int, ...]
    supervisor: int


class DeadlineCache:
    """compute_deadline() per receipt day, reused for every application received that day.

    Only the first reason ("received at ...") depends on the time of day; it is rebuilt per
    application exactly as compute_deadline() builds it. tests/test_demo.py checks the result
    against compute_deadline() row by row.
    """

    def __init__(self, calendar: HolidayCalendar, policy: DeadlinePolicy):
        self.calendar, self.policy = calendar, policy
        self._policy = policy.to_dict()
        self._days: dict = {}

    def basis(self, received_at: datetime) -> tuple:
        local = to_istanbul(received_at)
        day = self._days.get(local.date())
        if day is None:
            deadline = compute_deadline(received_at, self.calendar, self.policy)
            tail = [r.to_dict() for r in deadline.reasons[1:]]
            day = (deadline.statutory_due, deadline.outer_due, deadline.cutoff.strftime("%H:%M"),
                   deadline.cutoff_at, tail, format_date(local.date()))
            self._days[local.date()] = day
        utc = local.astimezone(UTC)
        first = Reason("received", {"local": f"{day[5]} {local:%H:%M}",
                                    "utc": f"{format_date(utc)} {utc:%H:%M}",
                                    "day0": day[5]})
        basis = {"policy": self._policy, "reasons": [first.to_dict(), *day[4]]}
        return day[0], day[1], day[2], day[3], basis


@dataclass
class Plan:
    application: dict
    rights: list[dict] = field(default_factory=list)
    actions: list[list[dict]] = field(default_factory=list)  # per right, same order
    notes: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    access_code: str = ""


def _between(rng: random.Random, start: datetime, end: datetime, lo: float = 0.0,
             hi: float = 1.0) -> datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.uniform(lo, hi)


def _rights(rng: random.Random) -> list[str]:
    count = RIGHT_COUNTS(rng)
    chosen = set()
    while len(chosen) < count:
        chosen.add(RIGHTS(rng))
    if "f" in chosen and not chosen & {"d", "e"}:
        chosen.add("e")  # (f) is about notifying (d)/(e) operations
    return [code for code in RIGHT_CODES if code in chosen]


def _symbols(rng: random.Random, count: int) -> str:
    """Return `count` random Crockford base32 symbols (5 random bits each)."""
    bits = rng.getrandbits(5 * count)
    return "".join(CROCKFORD[(bits >> (5 * i)) & 31] for i in range(count))


def tracking_no(rng: random.Random, year: int) -> str:
    """Return a tracking number in the format of identifiers.new_tracking_no()."""
    body = _symbols(rng, 8)
    return f"KVKK-{year:04d}-{body[:4]}-{body[4:]}"


def _access_code(rng: random.Random) -> str:
    body = _symbols(rng, 16)
    return f"{body[:4]}-{body[4:8]}-{body[8:12]}-{body[12:]}"


def plan_application(rng: random.Random, now: datetime, staff: Staff,
                     deadlines: DeadlineCache) -> Plan:
    """Return one application with a consistent history, as rows without ids."""
    received_at = now - timedelta(seconds=rng.uniform(300, WINDOW.total_seconds()))
    age_days = (now - received_at).days
    status = next(w for limit, w in STATUS_BY_AGE if limit is None or age_days < limit)(rng)
    channel = CHANNELS(rng)
    person = random_person(rng)
    rights = _rights(rng)
    due, outer, cutoff, cutoff_at, basis = deadlines.basis(received_at)
    access_code = _access_code(rng)

    created_at = received_at if channel == "web" else _between(
        rng, received_at, min(received_at + timedelta(days=2), now))
    changes = STEPS[status]
    assignee = None
    if status != "received" or rng.random() < 0.25:
        if status != "withdrawn" or rng.random() < 0.5:
            assignee = rng.choice(staff.officers)
            changes += 1
    taken_at = _between(rng, created_at, min(created_at + timedelta(days=3), now))
    last_actor, last_at = (assignee, taken_at) if assignee else (None, None)

    replied_at = closed_at = decided_at = None
    if status in ("replied", "closed"):
        if cutoff_at < now and rng.random() < 0.1:
            replied_at = _between(rng, cutoff_at, now, 0.0, 0.5)  # a late reply
        else:
            replied_at = _between(rng, taken_at, min(cutoff_at, now), 0.3, 1.0)
    if status == "closed":
        closed_at = _between(rng, replied_at, now, 0.05, 1.0)
    if status == "withdrawn":
        closed_at = _between(rng, taken_at, now)
    work_end = replied_at or closed_at or now
    if status in ("decided", "replied", "closed"):
        decided_at = _between(rng, taken_at, work_end, 0.5, 0.95)

    row = {
        "tracking_no": tracking_no(rng, to_istanbul(received_at).year),
        "access_code_hash": hash_access_code(access_code),
        "status": status, "channel": channel,
        "language": "en" if person.nationality != "TR" and rng.random() < 0.4 else "tr",
        "received_at": received_at, "statutory_due": due, "outer_due": outer, "cutoff": cutoff,
        "deadline_basis": basis,
        "first_name": person.first_name, "last_name": person.last_name,
        "name_folded": tr_fold(f"{person.first_name} {person.last_name}")[:201],
        "nationality": person.nationality, "tckn": person.tckn,
        "passport_no": person.passport_no, "address": person.address,
        "email": person.email, "phone": person.phone,
        "relationship_to_controller": RELATIONSHIPS(rng),
        "subject": texts.subject(rng, rights),
        "reply_channel": _reply_channel(rng, channel, person.email),
        "representative_name": texts.representative(rng) if rng.random() < 0.03 else None,
        "receipt_evidence": None if channel == "web" else texts.evidence(rng, channel,
                                                                          received_at),
        "logged_by_id": None if channel == "web" else rng.choice(staff.officers),
        "assignee_id": assignee,
        "identity_status": "pending", "identity_method": None, "identity_note": None,
        "identity_checked_by_id": None, "identity_checked_at": None,
        "approved_by_id": None, "approved_at": None,
        "replied_at": replied_at, "closed_at": closed_at, "created_at": created_at,
        # As intake does: the deadline sweep works out the reminder ladder of open cases from
        # their receipt (catching up once on its first run); closed cases are out of it.
        "next_reminder_at": received_at if status in OPEN else None,
    }
    plan = Plan(row, access_code=access_code)

    identity = _identity(rng, status)
    if identity != "pending":
        checked_by = assignee or rng.choice(staff.officers)
        checked_at = _between(rng, taken_at, decided_at or work_end, 0.0, 0.6)
        row.update(identity_status=identity, identity_checked_by_id=checked_by,
                   identity_checked_at=checked_at,
                   identity_method=IDENTITY_METHOD_BY_CHANNEL.get(channel) or rng.choice(
                       ("records_code", "records_code", "in_person")),
                   identity_note=texts.identity_note(rng, identity))
        changes += 1
        last_actor, last_at = _later((last_actor, last_at), (checked_by, checked_at))

    decide_all = status in ("decided", "replied", "closed")
    # Rights may be decided one by one while in review; accepting waits for the identity check.
    decide_some = status == "in_review" and identity == "verified" and rng.random() < 0.3
    for code in rights:
        right = {"right_code": code, "outcome": None, "reason_code": None,
                 "justification": None, "decided_by_id": None, "decided_at": None}
        actions: list[dict] = []
        if decide_all or (decide_some and rng.random() < 0.5):
            by = assignee or rng.choice(staff.officers)
            at = decided_at or _between(rng, taken_at, now, 0.3, 1.0)
            outcome, reason = texts.outcome(rng, code, identity)
            right.update(outcome=outcome, reason_code=reason, decided_by_id=by, decided_at=at,
                         justification=texts.justification(reason) if reason else None)
            changes += 1
            last_actor, last_at = _later((last_actor, last_at), (by, at))
            if decide_all and outcome != "rejected":
                actions = texts.actions(rng, code, by, _between(rng, at, work_end))
                changes += len(actions)
        plan.rights.append(right)
        plan.actions.append(actions)

    if decide_all and rng.random() < 0.4:
        approved_at = _between(rng, decided_at, work_end, 0.1, 0.9)
        row.update(approved_by_id=staff.supervisor, approved_at=approved_at)
        changes += 1
        last_actor, last_at = _later((last_actor, last_at), (staff.supervisor, approved_at))
    for moment in (replied_at, closed_at):
        if moment is not None:
            last_actor, last_at = _later((last_actor, last_at),
                                         (assignee or staff.supervisor, moment))
    if assignee and rng.random() < 0.15:
        plan.notes.append({"author_id": assignee, "body": texts.note(rng),
                           "created_at": _between(rng, taken_at, work_end)})
    if status in ("in_review", "decided", "replied", "closed") and rng.random() < 0.08:
        # The case went to awaiting_applicant and came back with the applicant's answer.
        plan.messages.append({"body": texts.applicant_answer(rng),
                              "created_at": _between(rng, taken_at, decided_at or work_end)})
        changes += 2
    row.update(updated_at=last_at, updated_by_id=last_actor, version=1 + changes)
    return plan


def _later(current: tuple, candidate: tuple) -> tuple:
    return candidate if current[1] is None or candidate[1] > current[1] else current


def _identity(rng: random.Random, status: str) -> str:
    if status == "received":
        return "pending"
    if status == "withdrawn":
        return "verified" if rng.random() < 0.2 else "pending"
    if status in ("in_review", "awaiting_applicant"):
        return IDENTITY_IN_REVIEW(rng)
    return IDENTITY_DECIDED(rng)


def _reply_channel(rng: random.Random, channel: str, email: str | None) -> str:
    if channel == "kep" and rng.random() < 0.7:
        return "kep"
    choice = REPLY_CHANNELS(rng)
    return "post" if choice == "email" and not email else choice
