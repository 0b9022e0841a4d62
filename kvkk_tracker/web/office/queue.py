"""The queue page: open applications by time left."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_login import current_user

from ...clock import utcnow
from ...domain.deadlines import days_left
from ...extensions import db
from ...services.queue import Cursor, QueueFilters, queue_page
from ..public.forms import CONTROL_RE
from .blueprint import bp, roles_required
from .case import assignable_staff


def _number(raw: str, highest: int) -> int | None:
    # isdigit() alone takes "²" (int() refuses it) and digits beyond the database's integers.
    if raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) <= highest:
        return int(raw)
    return None


def _assignee(raw: str) -> str | None:
    if raw in ("me", "none"):
        return raw
    return None if _number(raw, 2**31 - 1) is None else raw


def _filters() -> QueueFilters:
    # PostgreSQL refuses a NUL in any string parameter (a 500); no code or name holds a
    # control character, so they go before the values reach the query.
    args = {name: CONTROL_RE.sub("", value) for name, value in request.args.items()}
    return QueueFilters(
        status=args.get("status") or None,
        right=args.get("right") or None,
        channel=args.get("channel") or None,
        assignee=_assignee(args.get("assignee", "")),
        overdue=args.get("overdue") == "1",
        due_within=_number(args.get("due_within", ""), 366),
        q=args.get("q", "").strip()[:100] or None,
    )


@bp.get("/")
@roles_required("officer", "supervisor", "auditor")
def queue():
    now = utcnow()
    filters = _filters()
    page = queue_page(db.session, current_user, now, filters,
                      after=Cursor.decode(request.args.get("after")),
                      limit=current_app.config["KVKK_QUEUE_PAGE_SIZE"])
    rows = [(app, days_left(app.statutory_due, now)) for app in page.rows]
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    next_url = None
    if page.next_cursor is not None:
        next_url = url_for("office.queue", after=page.next_cursor.encode(), **args)
    # Officers filter by "me" or the pool; the others may pick any colleague.
    staff = assignable_staff() if current_user.role != "officer" else []
    return render_template("office/queue.html", rows=rows, filters=filters, next_url=next_url,
                           first_url=url_for("office.queue", **args), staff=staff,
                           due_soon=current_app.config["KVKK_DUE_SOON_DAYS"])
