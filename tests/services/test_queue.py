"""The queue: who sees what, filters, Turkish-aware search and keyset pagination."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kvkk_tracker.domain.workflow import OPEN_STATUSES
from kvkk_tracker.models import Application
from kvkk_tracker.models.application import OPEN_STATUS_SQL
from kvkk_tracker.services.queue import Cursor, QueueFilters, queue_page, queue_statement
from tests.builders import FIXED_NOW

NOW = FIXED_NOW
ROOT = Path(__file__).resolve().parents[2]


def numbers(page) -> list[str]:
    return [a.tracking_no for a in page.rows]


def everything(session, user, filters: QueueFilters | None = None, limit=50) -> list[str]:
    """Follow the cursors to the end, refusing any page that repeats a row."""
    seen, after = [], None
    for _ in range(1000):
        page = queue_page(session, user, NOW, filters or QueueFilters(), after=after,
                          limit=limit)
        assert not set(numbers(page)) & set(seen), "a page repeated a row"
        seen += numbers(page)
        if page.next_cursor is None:
            return seen
        after = page.next_cursor
    raise AssertionError("pagination did not end")


@pytest.fixture
def officers(create_user):
    return create_user("officer"), create_user("officer")


@pytest.fixture
def mixed(new_application, officers):
    """Open cases in the pool, mine and another officer's, plus closed ones."""
    me, other = officers
    made = {
        "pool": new_application(),
        "mine": new_application(assignee=me, status="in_review"),
        "other": new_application(assignee=other, status="awaiting_applicant"),
        "decided": new_application(assignee=me, status="decided"),
        "replied": new_application(assignee=me, status="replied"),
        "closed": new_application(status="closed"),
        "withdrawn": new_application(status="withdrawn"),
    }
    return {k: v.tracking_no for k, v in made.items()}


def test_officers_see_the_pool_and_their_own_open_cases(session, officers, mixed):
    me, _other = officers
    assert set(everything(session, me)) == {mixed["pool"], mixed["mine"], mixed["decided"]}


@pytest.mark.parametrize("role", ["supervisor", "auditor"])
def test_supervisors_and_auditors_see_every_open_case(session, create_user, mixed, role):
    assert set(everything(session, create_user(role))) == {
        mixed[k] for k in ("pool", "mine", "other", "decided")}


def test_admins_see_no_cases(session, create_user, mixed):
    assert everything(session, create_user("admin")) == []


def test_filters(session, create_user, officers, new_application):
    me, other = officers
    kep = new_application(rights=("e", "f"), assignee=me)
    kep.channel = "kep"
    old = new_application(received_at=NOW - timedelta(days=40), rights=("b",))
    soon = new_application(received_at=NOW - timedelta(days=27), assignee=other,
                           status="in_review")
    fresh = new_application(rights=("a", "e"))
    session.commit()
    boss = create_user("supervisor")

    def found(**filters):
        return set(everything(session, boss, QueueFilters(**filters)))

    assert found(status="in_review") == {soon.tracking_no}
    assert found(status="closed") == found()  # not an open status: ignored, all open shown
    assert found(right="e") == {kep.tracking_no, fresh.tracking_no}
    assert found(channel="kep") == {kep.tracking_no}
    assert found(assignee="none") == {old.tracking_no, fresh.tracking_no}
    assert found(assignee=str(other.id)) == {soon.tracking_no}
    assert set(everything(session, me, QueueFilters(assignee="me"))) == {kep.tracking_no}
    assert found(overdue=True) == {old.tracking_no}
    assert found(due_within=5) == {old.tracking_no, soon.tracking_no}
    assert found(due_within=0) == {old.tracking_no}
    assert found(right="e", channel="web") == {fresh.tracking_no}


SEARCHES = [
    ("IŞIK", {"Işık"}),
    ("ışık", {"Işık"}),
    ("İPEK", {"İpek"}),
    ("ipek", {"İpek"}),
    ("ÇAĞLAYAN", {"Işık", "İpek", "Ilgaz"}),
    ("şükrü", {"Şükrü"}),
    ("ŞÜKRÜ ÖZ", {"Şükrü"}),
    ("ılgaz", {"Ilgaz"}),
    ("ILGAZ", {"Ilgaz"}),
    # Searching is blind to dotted/dotless i: "IŞIK" may have been upper-cased the non-Turkish
    # way from "işık" somewhere upstream.
    ("ilgaz", {"Ilgaz"}),
    ("işık", {"Işık"}),
    ("isik", set()),  # but ş is not s
    ("%", set()),  # LIKE wildcards are escaped
    ("_", set()),
    ("Nobody", set()),
]


def test_name_search_folds_turkish_case(session, create_user, new_application):
    names = {"Işık": "Çağlayan", "İpek": "Çağlayan", "Ilgaz": "Çağlayan", "Şükrü": "Özdemir"}
    for first, last in names.items():
        new_application(first_name=first, last_name=last)
    boss = create_user("supervisor")
    for query, expected in SEARCHES:
        rows = queue_page(session, boss, NOW, QueueFilters(q=query)).rows
        assert {a.first_name for a in rows} == expected, query


def test_search_by_tracking_number_as_typed(session, create_user, new_application):
    wanted, _other = new_application(), new_application()
    typed = wanted.tracking_no.lower().replace("-", " ")
    rows = queue_page(session, create_user("supervisor"), NOW, QueueFilters(q=typed)).rows
    assert [a.tracking_no for a in rows] == [wanted.tracking_no]


def test_keyset_pages_neither_overlap_nor_skip(session, create_user, new_application):
    # Three applications a day over four days: equal due dates are ordered by id.
    for day in range(4):
        for hour in (9, 12, 15):
            new_application(received_at=NOW.replace(hour=hour) - timedelta(days=day * 5))
    boss = create_user("supervisor")
    ordered = list(session.execute(
        select(Application.tracking_no).order_by(Application.statutory_due, Application.id)
    ).scalars())
    assert len(ordered) == 12
    for limit in (1, 2, 3, 5, 11, 12, 50):
        assert everything(session, boss, limit=limit) == ordered, limit


def test_overdue_cases_come_first(session, create_user, new_application):
    late = new_application(received_at=NOW - timedelta(days=35))
    new_application(received_at=NOW - timedelta(days=1))
    rows = queue_page(session, create_user("supervisor"), NOW, QueueFilters()).rows
    assert rows[0].tracking_no == late.tracking_no


def test_the_cursor_round_trips_and_garbage_reads_as_the_first_page():
    cursor = Cursor(FIXED_NOW.date(), 42)
    assert Cursor.decode(cursor.encode()) == cursor
    for raw in (None, "", "garbage", "2026-13-01.4", "2026-04-01.x"):
        assert Cursor.decode(raw) is None


def plan(session, user, after=Cursor(NOW.date(), 7), **kw) -> str:  # noqa: B008
    """Return SQLite's plan for the page query with its parameters bound, as the app runs it
    (literal values can get a better plan than the app's `?` placeholders)."""
    statement = queue_statement("sqlite", user, QueueFilters(**kw), NOW.date(), after=after)
    compiled = statement.compile(session.get_bind(),
                                 compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    cursor = session.connection().connection.driver_connection.cursor()
    rows = cursor.execute(f"EXPLAIN QUERY PLAN {compiled}",
                          [values[name] for name in compiled.positiontup]).fetchall()
    return " ; ".join(row[-1] for row in rows)


@pytest.mark.parametrize("role", ["supervisor", "officer"])
@pytest.mark.parametrize("filters", [{}, {"assignee": "none"}, {"assignee": "me"},
                                     {"overdue": True}, {"channel": "kep"}])
def test_pages_walk_the_open_queue_index_without_sorting(session, create_user, role, filters):
    """SQLite without statistics would otherwise sort every open case for each page
    (docs/benchmarks.md, "Queue"). The planner's guesses do not depend on the row count."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's; PostgreSQL plans from its statistics")
    user = create_user(role)
    first = plan(session, user, after=None, **filters)
    assert "ix_applications_open_queue" in first and "TEMP B-TREE" not in first, first
    # A keyset page starts at its cursor: a SEARCH over a range, not a SCAN from the start.
    found = plan(session, user, **filters)
    assert "SEARCH applications USING INDEX ix_applications_open_queue (statutory_due>" in found
    assert "TEMP B-TREE" not in found, found


def test_a_single_status_uses_the_status_index_in_queue_order(session, create_user):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    found = plan(session, create_user("supervisor"), status="in_review")
    assert "ix_applications_open_due" in found and "TEMP B-TREE" not in found, found


def test_the_index_predicate_is_the_open_statuses_everywhere():
    source = (ROOT / "migrations" / "versions" / "20261124_queue_open_index.py").read_text()
    assert f'OPEN = "{OPEN_STATUS_SQL}"' in source
    assert OPEN_STATUS_SQL == "status IN ({})".format(
        ", ".join(f"'{s}'" for s in sorted(s.value for s in OPEN_STATUSES)))
