"""The queue page: time left first, coloured, filtered, searched and paged by keyset."""

from __future__ import annotations

import re

import pytest

from .conftest import apply_as, login, make_user, new_application, shared_app, text

ROW = re.compile(r'<tr class="([^"]*)" data-testid="queue-row">\s*<td><a href="[^"]+">'
                 r'(KVKK-[^<]+)</a>')


def rows(client, query: str = "") -> list[tuple[str, str]]:
    """Return (tracking number, row class) for each row of the queue page."""
    page = text(client.get(f"/office/{query}"))
    return [(no, cls) for cls, no in ROW.findall(page)]


def numbers(client, query: str = "") -> list[str]:
    return [no for no, _cls in rows(client, query)]


def build_world(app) -> dict:
    supervisor = make_user(app, "supervisor")
    officer = make_user(app, "officer")
    other = make_user(app, "officer")
    cases = {
        "overdue": new_application(app, received_days_ago=40, first_name="Ali",
                                   last_name="IŞIK")[0],
        "soon": new_application(app, received_days_ago=27, first_name="Zeynep",
                                last_name="Öztürk", assignee=officer)[0],
        "mid": new_application(app, received_days_ago=10, first_name="Can",
                               last_name="Şahin", rights=("e",))[0],
        "new": new_application(app, received_days_ago=1, first_name="İpek",
                               last_name="Demir", channel="kep")[0],
        "theirs": new_application(app, received_days_ago=3, first_name="Deniz",
                                  last_name="Ak", assignee=other)[0],
    }
    apply_as(app, supervisor, cases["mid"], "change_status", target="in_review")
    return {"supervisor": supervisor, "officer": officer, **cases}


@pytest.fixture(scope="module")
def shared(db_template, tmp_path_factory):
    """The queue tests only read: they share one database."""
    with shared_app(db_template, tmp_path_factory, build_world) as made:
        yield made


@pytest.fixture
def app(shared):
    return shared[0]


@pytest.fixture
def world(shared):
    return shared[1]


def test_sorted_by_statutory_due_with_overdue_first_and_coloured(app, world):
    client = login(app.test_client(), world["supervisor"])
    assert rows(client) == [(world["overdue"], "overdue"), (world["soon"], "due-soon"),
                            (world["mid"], ""), (world["theirs"], ""), (world["new"], "")]
    page = text(client.get("/office/"))
    assert re.search(r"<strong>-1\d</strong> <span class=\"tag overdue\">overdue</span>", page)
    assert '<span class="tag due-soon">due soon</span>' in page


def test_officers_see_the_pool_and_their_own_cases_only(app, world):
    client = login(app.test_client(), world["officer"])
    assert set(numbers(client)) == {world["overdue"], world["soon"], world["mid"],
                                    world["new"]}
    assert numbers(client, "?assignee=me") == [world["soon"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("?status=in_review", ["mid"]),
    ("?status=received&right=e", []),
    ("?right=e", ["mid"]),
    ("?channel=kep", ["new"]),
    ("?assignee=none", ["overdue", "mid", "new"]),
    ("?overdue=1", ["overdue"]),
    ("?due_within=5", ["overdue", "soon"]),
    ("?due_within=0&overdue=1", ["overdue"]),
])
def test_filters(app, world, query, expected):
    client = login(app.test_client(), world["supervisor"])
    assert numbers(client, query) == [world[key] for key in expected]


def test_filter_by_a_named_assignee(app, world):
    client = login(app.test_client(), world["supervisor"])
    page = text(client.get("/office/"))
    assert f'<option value="{world["officer"].id}"' in page
    assert numbers(client, f"?assignee={world['officer'].id}") == [world["soon"]]


@pytest.mark.parametrize(("q", "expected"), [
    ("işık", "overdue"), ("ışık", "overdue"), ("IŞIK", "overdue"), ("Ali Işık", "overdue"),
    ("ipek", "new"), ("İPEK", "new"), ("şahin", "mid"), ("ÖZTÜRK", "soon"),
])
def test_search_by_name_folds_turkish_case(app, world, q, expected):
    client = login(app.test_client(), world["supervisor"])
    assert numbers(client, f"?q={q}") == [world[expected]]


def test_search_keeps_turkish_letters_apart_and_escapes_wildcards(app, world):
    client = login(app.test_client(), world["supervisor"])
    assert numbers(client, "?q=sahin") == []
    assert numbers(client, "?q=%25") == []
    assert numbers(client, "?q=_") == []


def test_search_by_tracking_number_however_typed(app, world):
    client = login(app.test_client(), world["supervisor"])
    typed = world["mid"].lower().replace("-", " ")
    assert numbers(client, f"?q={world['mid']}") == [world["mid"]]
    assert numbers(client, f"?q={typed}") == [world["mid"]]


def test_empty_state(app, world):
    client = login(app.test_client(), world["supervisor"])
    page = text(client.get("/office/?q=nobody+by+this+name"))
    assert "No open applications match. Nothing is waiting for you here." in page
    assert "queue-row" not in page


def test_closed_and_withdrawn_applications_leave_the_queue(make_app):
    app = make_app()
    supervisor = make_user(app, "supervisor")
    kept, withdrawn = new_application(app)[0], new_application(app)[0]
    apply_as(app, supervisor, withdrawn, "change_status", target="withdrawn")
    assert numbers(login(app.test_client(), supervisor)) == [kept]


def test_keyset_pages_neither_overlap_nor_skip(make_app):
    app = make_app(KVKK_QUEUE_PAGE_SIZE=2)
    supervisor = make_user(app, "supervisor")
    # Two applications a day for some days: equal due dates must page by id without loss.
    created = [new_application(app, received_days_ago=days)[0]
               for days in (1, 1, 5, 5, 5, 20, 35)]
    client = login(app.test_client(), supervisor)
    seen, url, pages = [], "/office/?status=received", 0
    while url:
        page = text(client.get(url))
        found = [no for _cls, no in ROW.findall(page)]
        assert len(found) <= 2
        seen.extend(found)
        pages += 1
        match = re.search(r'href="([^"]+)" rel="next"', page)
        url = match.group(1).replace("&amp;", "&") if match else None
        if url:
            assert "status=received" in url
    assert pages == 4
    assert len(seen) == len(set(seen)) == len(created)
    assert set(seen) == set(created)
    assert seen[0] == created[-1]  # the oldest receipt is due first
