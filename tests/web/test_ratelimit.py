"""Rate limits: the request after the limit gets a friendly 429 page (or JSON on the API).

Each test builds exactly one app: the limiter is a module-level extension, so the last app
initialised decides whether it is on.
"""

from __future__ import annotations

from ..builders import api_payload, form_data
from ..conftest import count_applications
from .support import assert_friendly_error


def test_fourth_status_lookup_in_a_minute_is_refused(make_app):
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_STATUS="3 per minute")
    client = app.test_client()
    guess = {"tracking_no": "KVKK-2026-0000-0000", "access_code": "AAAA-AAAA-AAAA-AAAA"}
    assert [client.post("/status", data=guess).status_code for _ in range(3)] == [404] * 3
    shown = assert_friendly_error(client.post("/status", data=guess), 429, "Çok fazla deneme")
    assert "Bir dakika bekleyip" in shown.html or "bekleyin" in shown.html
    english = client.post("/status?lang=en", data=guess)
    assert_friendly_error(english, 429, "Too many attempts")
    assert client.get("/status").status_code == 200, "reading the form is not limited"


def test_fourth_application_in_a_minute_is_refused_and_not_stored(make_app):
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_APPLY="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/apply", data=form_data()).status_code == 303
    assert_friendly_error(client.post("/apply", data=form_data()), 429, "Çok fazla deneme")
    assert count_applications(app) == 3
    assert client.get("/apply").status_code == 200


def test_api_submit_limit_answers_429_json(make_app):
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_API_SUBMIT="3 per minute")
    client = app.test_client()
    codes = [client.post("/api/v1/requests", json=api_payload()).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    refused = client.post("/api/v1/requests", json=api_payload(),
                          headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert refused.get_json() == {"errors": {"_request": [
        "You have made too many requests in a short time. Wait a minute and try again."]}}
    assert count_applications(app) == 3


def test_api_status_limit_answers_429_json(make_app):
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_API_STATUS="3 per minute")
    client = app.test_client()
    headers = {"X-Access-Code": "AAAA-AAAA-AAAA-AAAA"}
    codes = [client.get("/api/v1/requests/KVKK-2026-0000-0000", headers=headers).status_code
             for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    body = client.get("/api/v1/requests/KVKK-2026-0000-0000", headers=headers).get_json()
    assert list(body["errors"]) == ["_request"]
