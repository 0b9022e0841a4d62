"""Admin corrections to the official-holiday calendar, each with the decision it rests on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.calendar import OVERRIDE_KINDS
from ..extensions import db
from .types import UTCDateTime


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class HolidayOverrideRecord(db.Model):
    """One day the `holidays` package gets wrong or does not know yet (KVKK.md §3 Holidays).

    kind 'full' or 'half' makes the day a holiday; 'none' cancels a package holiday. One row per
    day: replacing keeps the row, and the audit trail keeps what it was. An override applies to
    applications received after it is saved; stored deadlines are never recomputed from it.
    """

    __tablename__ = "holiday_overrides"
    __table_args__ = (
        CheckConstraint(_in("kind", OVERRIDE_KINDS), name="kind_known"),
        # Without the decision it rests on, nobody can later tell why a deadline moved.
        CheckConstraint("length(source) > 0", name="source_given"),
        CheckConstraint("kind = 'none' OR (length(name_tr) > 0 AND length(name_en) > 0)",
                        name="holiday_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(4))
    name_tr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
