"""Flask-Login's session protection runs for staff sessions only.

For a public visitor's CSRF-only session it used to "fail" on every page and send a Set-Cookie
deleting remember_token, a cookie the cookie page does not list.
"""

from __future__ import annotations

from kvkk_tracker.extensions import db
from kvkk_tracker.services.actors import system_actor
from kvkk_tracker.services.users import create_user

from ..builders import FIXED_NOW
from .support import csrf_token


def test_public_visitor_with_a_session_gets_no_remember_token_header(csrf_app):
    client = csrf_app.test_client()
    client.get("/apply")  # now the session holds a CSRF token
    for path in ("/", "/apply", "/status", "/cookies", "/api/v1/openapi.json", "/office/"):
        headers = client.get(path).headers.getlist("Set-Cookie")
        assert not [h for h in headers if h.startswith("remember_token")], path


def test_staff_sign_in_still_works_and_is_still_protected(csrf_app):
    with csrf_app.app_context():
        create_user(db.session, system_actor("test"), FIXED_NOW, email="memur@example.com.tr",
                    name="Memur", role="officer", password="uzun-ve-gizli-parola-42")
        db.session.commit()
    client = csrf_app.test_client()
    token = csrf_token(client.get("/login"))
    signed_in = client.post("/login", data={"email": "memur@example.com.tr",
                                            "password": "uzun-ve-gizli-parola-42",
                                            "csrf_token": token})
    assert signed_in.status_code in (302, 303)
    assert client.get("/office/").status_code == 200
    with client.session_transaction() as session:
        assert session.get("_user_id") and session.get("_fresh") is True
    # The protection check still runs for a signed-in session: the same cookie from another
    # browser no longer counts as a fresh login.
    client.get("/office/", headers={"User-Agent": "another-browser/1.0"})
    with client.session_transaction() as session:
        assert session.get("_fresh") is False
