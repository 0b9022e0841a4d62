"""The controller's processing inventory (veri envanteri) and the entries a case cites."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.inventory import INVENTORY_RIGHTS, LEGAL_BASIS_CODES
from ..extensions import db
from .types import UTCDateTime


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class InventoryEntry(db.Model):
    """One processing activity: a data category, why and on what basis, how long, to whom.

    Entries are never deleted, only retired: a sent letter may cite one. Edits are kept in the
    audit trail (old and new values) and a finalised letter carries its own snapshot.
    """

    __tablename__ = "inventory_entries"
    __table_args__ = (CheckConstraint(_in("legal_basis", LEGAL_BASIS_CODES),
                                      name="legal_basis_known"),
                      CheckConstraint("version >= 1", name="version_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(10))
    retention: Mapped[str] = mapped_column(String(300))
    recipients_domestic: Mapped[str | None] = mapped_column(Text)
    recipients_abroad: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}

    @property
    def active(self) -> bool:
        return self.retired_at is None


class CaseInventoryItem(db.Model):
    """An inventory entry the officer found to concern this applicant, under right b, c or ç."""

    __tablename__ = "case_inventory_items"
    __table_args__ = (
        CheckConstraint(_in("right_code", INVENTORY_RIGHTS), name="right_known"),
        UniqueConstraint("application_id", "right_code", "entry_id",
                         name="uq_case_inventory_items_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    right_code: Mapped[str] = mapped_column(String(8))
    # No cascade: an entry a case cites cannot disappear (and is never deleted anyway).
    entry_id: Mapped[int] = mapped_column(ForeignKey("inventory_entries.id"), index=True)
    selected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    selected_at: Mapped[datetime] = mapped_column(UTCDateTime())
