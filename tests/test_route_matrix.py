"""Every route of the app × every role × anonymous: none escapes a permission test.

tests/office/test_access.py holds the office, sign-in, auditor and health routes. This module
holds every other route (the public site, the JSON API, static files, and whatever comes next),
and fails when a route of the url_map is in neither table.

Decisions the table below encodes:
- the public site and the API answer a signed-in member of staff exactly as they answer an
  anonymous visitor: the public site is for applicants, and staff who use it (to check what an
  applicant sees) must see just that, with no office data and no extra power; the tests compare
  the bodies too, not only the status codes;
- POSTs are sent empty: the forms answer 400 with their field errors; the applicant's letter and
  answer routes answer 404, as for a wrong access code, since an empty post names no application;
  the API answers 400 to a body that is not a JSON object;
- GETs carry valid arguments: a real tracking number, and for the API its access code in the
  X-Access-Code header (without it the API answers 404, as tests/api checks);
- /apply/done with nothing just submitted sends the visitor on to /status.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from flask import url_for

from kvkk_tracker.services import users as user_service
from tests.office.conftest import CHEAP_HASHER, new_application, shared_app, text
from tests.office.test_access import EXPECTED as OFFICE_EXPECTED
from tests.office.test_access import ROLES, build_world

OK, BAD, MISSING = 200, 400, 404
TO_STATUS = "/status"  # a redirect to the status page

EXPECTED: dict[tuple[str, str], tuple] = {
    #                                         anon  own  other  sup  aud  admin
    ("public.index", "GET"):                 (OK,) * 6,
    ("public.privacy", "GET"):               (OK,) * 6,
    ("public.cookies", "GET"):               (OK,) * 6,
    ("public.apply", "GET"):                 (OK,) * 6,
    ("public.apply", "POST"):                (BAD,) * 6,
    ("public.confirmation", "GET"):          (TO_STATUS,) * 6,
    ("public.status", "GET"):                (OK,) * 6,
    ("public.status", "POST"):               (BAD,) * 6,
    ("public.status_answer", "POST"):        (MISSING,) * 6,
    ("public.status_receipt", "POST"):       (MISSING,) * 6,
    ("public.status_reply", "POST"):         (MISSING,) * 6,
    ("api.create_request", "POST"):          (BAD,) * 6,
    ("api.get_request", "GET"):              (OK,) * 6,
    ("api.get_receipt", "GET"):              (OK,) * 6,
    ("api.openapi", "GET"):                  (OK,) * 6,
    ("static", "GET"):                       (OK,) * 6,
}


def all_routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


class PublicWorld:
    """test_access's world, plus an application whose access code the test knows."""

    def __init__(self, app):
        self.app = app
        self.staff = build_world(app)
        self.tracking_no, self.access_code = new_application(app, rights=("a",))

    def client(self, role: str):
        client = self.staff.client(role)
        # Staff clients read English after signing in; anonymous ones must read the same page.
        client.set_cookie("lang", "en")
        return client

    def url(self, endpoint: str) -> str:
        rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
        values = {"tracking_no": self.tracking_no, "filename": "css/site.css"}
        with self.app.test_request_context():
            return url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})

    def request(self, client, endpoint: str, method: str):
        headers = {"X-Access-Code": self.access_code} if endpoint.startswith("api.") else {}
        response = client.open(self.url(endpoint), method=method, data={}, headers=headers)
        response.get_data()  # read a streamed file (PDF, static) before closing it
        response.close()
        return response


@pytest.fixture(scope="module")
def world(db_template, tmp_path_factory):
    """One database for the module: empty POSTs and valid GETs change nothing a test reads."""
    with pytest.MonkeyPatch.context() as patch:
        # Argon2 at production cost would make each of the many sign-ins take ~0.4 s.
        patch.setattr(user_service, "_hasher", CHEAP_HASHER)
        patch.setattr(user_service, "_dummy_hash",
                      lambda: CHEAP_HASHER.hash("not-a-real-password"))
        with shared_app(db_template, tmp_path_factory, PublicWorld) as (_app, made):
            yield made


def test_every_route_is_in_one_access_table(world):
    """A new route of any blueprint fails here until one of the two tables lists it."""
    routes = all_routes(world.app)
    office, others = set(OFFICE_EXPECTED), set(EXPECTED)
    assert not office & others, "a route is in both tables"
    assert sorted(routes - office - others) == [], "routes with no access expectations"
    assert sorted(others - routes) == [], "rows for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(EXPECTED))
def test_access(world, endpoint, method, role):
    expected = EXPECTED[(endpoint, method)][ROLES.index(role)]
    response = world.request(world.client(role), endpoint, method)
    if isinstance(expected, str):
        assert response.status_code in (302, 303)
        assert urlparse(response.headers["Location"]).path == expected
    else:
        assert response.status_code == expected, text(response)[:300]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
@pytest.mark.parametrize("endpoint", sorted(e for e, m in EXPECTED if m == "GET"))
def test_staff_see_the_public_side_as_applicants_do(world, endpoint, role):
    """A signed-in member of staff gets the very bytes an anonymous visitor gets."""
    seen_by_anyone = world.request(world.client("anonymous"), endpoint, "GET")
    seen_by_staff = world.request(world.client(role), endpoint, "GET")
    assert seen_by_staff.status_code == seen_by_anyone.status_code
    assert seen_by_staff.headers.get("Location") == seen_by_anyone.headers.get("Location")
    assert seen_by_staff.get_data() == seen_by_anyone.get_data()
