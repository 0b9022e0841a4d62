"""Maintain the processing inventory and record which entries concern an applicant.

Admins keep the inventory; officers pick, for rights (b), (c) and (ç), the entries that apply
to the person who asked. Every change is audited with what it was before.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import workflow
from ..domain.inventory import INVENTORY_RIGHTS, LEGAL_BASES_BY_CODE
from ..models import Application, CaseInventoryItem, InventoryEntry, User
from . import access, audit
from .cases import CaseError, Forbidden, user_actor
from .errors import ServiceError

FIELDS = ("category", "purpose", "legal_basis", "retention", "recipients_domestic",
          "recipients_abroad")
LIMITS = {"category": 200, "purpose": 2000, "legal_basis": 10, "retention": 300,
          "recipients_domestic": 2000, "recipients_abroad": 2000}
REQUIRED = ("category", "purpose", "legal_basis", "retention")


class EntryChanged(ServiceError):
    """Another admin changed the entry since this one loaded it."""


@dataclass(frozen=True)
class EntryInput:
    category: str
    purpose: str
    legal_basis: str
    retention: str
    recipients_domestic: str | None = None
    recipients_abroad: str | None = None

    def cleaned(self) -> dict:
        """Return the values stripped, empty optional ones as None; raise on a bad field."""
        values = {}
        for name, value in asdict(self).items():
            value = (value or "").strip()
            if not value and name in REQUIRED:
                raise CaseError("required", name)
            if len(value) > LIMITS[name]:
                raise CaseError("too_long", name)
            values[name] = value or None
        if values["legal_basis"] not in LEGAL_BASES_BY_CODE:
            raise CaseError("unknown_legal_basis", "legal_basis")
        return values


def _require_admin(user: User) -> None:
    if user.role != "admin":
        raise Forbidden()


def create_entry(session: Session, user: User, now: datetime, data: EntryInput, *,
                 ip: str | None = None) -> InventoryEntry:
    _require_admin(user)
    entry = InventoryEntry(**data.cleaned(), created_by_id=user.id, created_at=now,
                           updated_at=now)
    session.add(entry)
    session.flush()
    audit.record(session, user_actor(user, ip), now, "inventory.entry_created",
                 data={"entry_id": entry.id, "values": {f: getattr(entry, f) for f in FIELDS}})
    return entry


def update_entry(session: Session, user: User, now: datetime, entry: InventoryEntry,
                 data: EntryInput, *, expected_version: int | None = None,
                 ip: str | None = None) -> dict:
    """Change an entry and return what changed ({field: {from, to}}); nothing changed is fine."""
    _require_admin(user)
    if not entry.active:
        raise CaseError("entry_retired")
    if expected_version is not None and entry.version != expected_version:
        raise EntryChanged()
    values = data.cleaned()
    changes = {name: {"from": getattr(entry, name), "to": value}
               for name, value in values.items() if getattr(entry, name) != value}
    if changes:
        for name, change in changes.items():
            setattr(entry, name, change["to"])
        entry.updated_at = now
        session.flush()
        audit.record(session, user_actor(user, ip), now, "inventory.entry_changed",
                     data={"entry_id": entry.id, "version": entry.version, "changes": changes})
    return changes


def retire_entry(session: Session, user: User, now: datetime, entry: InventoryEntry, *,
                 ip: str | None = None) -> None:
    """Take an entry out of use; cases and letters that cite it keep it."""
    _require_admin(user)
    if not entry.active:
        raise CaseError("entry_retired")
    entry.retired_at = now
    entry.retired_by_id = user.id
    session.flush()
    audit.record(session, user_actor(user, ip), now, "inventory.entry_retired",
                 data={"entry_id": entry.id})


def page_of_entries(session: Session, *, page: int, per_page: int,
                    include_retired: bool = False) -> tuple[list[InventoryEntry], int]:
    query = select(InventoryEntry)
    if not include_retired:
        query = query.where(InventoryEntry.retired_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(InventoryEntry.category, InventoryEntry.id)
                           .offset((page - 1) * per_page).limit(per_page))
    return list(rows), total


def active_entries(session: Session) -> list[InventoryEntry]:
    return list(session.scalars(select(InventoryEntry).where(InventoryEntry.retired_at.is_(None))
                                .order_by(InventoryEntry.category, InventoryEntry.id)))


def selected(session: Session, application: Application) -> dict[str, list[InventoryEntry]]:
    """Return the entries chosen for this case, by right code."""
    rows = session.execute(
        select(CaseInventoryItem.right_code, InventoryEntry)
        .join(InventoryEntry, InventoryEntry.id == CaseInventoryItem.entry_id)
        .where(CaseInventoryItem.application_id == application.id)
        .order_by(CaseInventoryItem.right_code, InventoryEntry.category, InventoryEntry.id))
    chosen: dict[str, list[InventoryEntry]] = {code: [] for code in INVENTORY_RIGHTS}
    for right_code, entry in rows:
        chosen[right_code].append(entry)
    return chosen


def select_for_case(session: Session, user: User, now: datetime, application: Application, *,
                    right_code: str, entry_ids: list[int], ip: str | None = None) -> dict:
    """Replace the entries chosen under one right; return {"added": [...], "removed": [...]}.

    Retired entries cannot be newly chosen, but one already chosen stays until unticked.
    """
    if not access.can_edit(user, application):
        raise Forbidden()
    if not workflow.is_open(application.status):
        raise CaseError("letter_case_closed")
    if right_code not in INVENTORY_RIGHTS or right_code not in application.right_codes:
        raise CaseError("right_not_requested", "right")
    current = {item.entry_id: item for item in session.scalars(
        select(CaseInventoryItem).where(CaseInventoryItem.application_id == application.id,
                                        CaseInventoryItem.right_code == right_code))}
    wanted = set(entry_ids)
    added = sorted(wanted - set(current))
    if added:
        usable = set(session.scalars(select(InventoryEntry.id).where(
            InventoryEntry.id.in_(added), InventoryEntry.retired_at.is_(None))))
        if usable != set(added):
            raise CaseError("entry_not_available", "entries")
    removed = sorted(set(current) - wanted)
    for entry_id in removed:
        session.delete(current[entry_id])
    for entry_id in added:
        session.add(CaseInventoryItem(application_id=application.id, right_code=right_code,
                                      entry_id=entry_id, selected_by_id=user.id,
                                      selected_at=now))
    session.flush()
    change = {"added": added, "removed": removed}
    if added or removed:
        audit.record(session, user_actor(user, ip), now, "application.inventory_selected",
                     application_id=application.id, data={"right": right_code, **change})
    return change


def letter_rows(session: Session, application: Application) -> list[dict]:
    """Return the chosen entries as the plain dicts a reply letter tabulates."""
    rows = []
    for right_code, entries in selected(session, application).items():
        if right_code not in application.right_codes:
            continue
        for entry in entries:
            rows.append({"right": right_code, "category": entry.category,
                         "purpose": entry.purpose,
                         "legal_basis": LEGAL_BASES_BY_CODE[entry.legal_basis].label("tr"),
                         "retention": entry.retention,
                         "recipients_domestic": entry.recipients_domestic or "",
                         "recipients_abroad": entry.recipients_abroad or "",
                         "entry_id": entry.id, "entry_version": entry.version})
    return rows
