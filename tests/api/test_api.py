"""The JSON intake API: what a call centre or document system gets back."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from kvkk_tracker.domain.rights import RELATIONSHIP_CODES, REPLY_CHANNEL_CODES, RIGHT_CODES
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, AuditEvent

from ..builders import INVALID_TCKN, api_payload
from ..conftest import count_applications
from ..web.support import ACCESS_CODE_RE, TRACKING_RE

URL = "/api/v1/requests"
EN = {"Accept-Language": "en"}


def test_valid_request_is_stored_and_answered_with_201(app, client):
    response = client.post(URL, json=api_payload(rights=["a", "gg"]))
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"tracking_no", "access_code", "received_at", "statutory_due",
                         "outer_due", "status"}
    assert TRACKING_RE.match(body["tracking_no"])
    assert ACCESS_CODE_RE.match(body["access_code"])
    assert body["status"] == "received"
    assert body["rights"] == ["a", "gg"]
    assert response.headers["Cache-Control"] == "no-store"
    received = datetime.fromisoformat(body["received_at"])
    assert received.utcoffset() == timedelta(0)
    due, outer = date.fromisoformat(body["statutory_due"]), date.fromisoformat(body["outer_due"])
    assert outer >= due
    assert count_applications(app) == 1
    with app.app_context():
        stored = db.session.scalars(select(Application)).one()
        event = db.session.scalars(select(AuditEvent)).one()
        assert stored.channel == "web"
        assert stored.tracking_no == body["tracking_no"]
        assert event.actor == "api:v1" and event.application_id == stored.id
    # The number and the code work for the status call.
    status = client.get(f"{URL}/{body['tracking_no']}",
                        headers={"X-Access-Code": body["access_code"]})
    assert status.status_code == 200
    assert status.get_json()["statutory_due"] == body["statutory_due"]


def test_api_is_csrf_exempt_even_with_csrf_on(csrf_app):
    response = csrf_app.test_client().post(URL, json=api_payload())
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
    assert count_applications(csrf_app) == 1


@pytest.mark.parametrize(("headers", "query", "message"), [
    ({}, "", "Adınızı yazın."),
    (EN, "", "Enter your first name."),
    ({"Accept-Language": "en-US,en;q=0.9,tr;q=0.5"}, "", "Enter your first name."),
    ({}, "?lang=en", "Enter your first name."),
    ({"Accept-Language": "de"}, "", "Adınızı yazın."),
])
def test_422_errors_are_in_the_requests_language(app, client, headers, query, message):
    response = client.post(f"{URL}{query}", json=api_payload(first_name=""), headers=headers)
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"first_name": [message]}}
    assert count_applications(app) == 0


# name: (payload overrides, field, Turkish message, English message)
INVALID = {
    "kimlik-checksum": ({"tckn": INVALID_TCKN}, "tckn",
                        "Bu T.C. kimlik numarası geçerli değil: rakamları kontrol edin.",
                        "This T.C. identity number is not valid: check the digits."),
    "foreigner-without-passport": (
        {"nationality": "DE", "tckn": None}, "passport_no",
        "Pasaport numaranızı ya da varsa yabancı kimlik numaranızı yazın.",
        "Enter your passport number, or your foreign identity number if you have one."),
    "no-right": ({"rights": []}, "rights", "En az bir hak seçin.",
                 "Choose at least one right."),
    "unknown-rights": ({"rights": ["a", "zz", "h"]}, "rights", "Tanınmayan seçim: zz, h.",
                       "Unknown choice: zz, h."),
    "email-reply-without-email": (
        {"email": None, "reply_channel": "email"}, "email",
        "Size e-postayla cevap verebilmemiz için e-posta adresinizi yazın.",
        "Enter your e-mail address so that we can reply by e-mail."),
    "number-for-first-name": ({"first_name": 42}, "first_name", "Metin olmalıdır.",
                              "Must be a string."),
    "string-for-rights": ({"rights": "a"}, "rights",
                          "Hak kodlarından oluşan bir liste olmalıdır, örneğin [\"a\", \"b\"].",
                          "Must be a list of right codes, such as [\"a\", \"b\"]."),
    "yes-for-declaration": ({"declaration": "yes"}, "declaration", "true ya da false olmalıdır.",
                            "Must be true or false."),
    "unknown-field": ({"representative": "x"}, "representative", "Tanınmayan alan.",
                      "Unknown field."),
    "lone-surrogate": ({"last_name": "\ud800"}, "last_name",
                       "Geçerli bir Unicode metin olmalıdır.", "Must be valid Unicode text."),
}


@pytest.mark.parametrize("case", INVALID)
@pytest.mark.parametrize("lang", ["tr", "en"])
def test_invalid_field_gets_a_422_naming_it(app, client, case, lang):
    overrides, field, message_tr, message_en = INVALID[case]
    body = json.dumps(api_payload(**overrides))  # json= would refuse the lone surrogate
    response = client.post(URL, data=body, content_type="application/json",
                           headers=EN if lang == "en" else {})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors[field] == [message_tr if lang == "tr" else message_en]
    assert count_applications(app) == 0


def test_several_wrong_types_at_once_are_all_reported(client):
    response = client.post(URL, json=api_payload(first_name=1, rights="a", declaration="yes",
                                                 subject=["x"], extra={"a": 1}), headers=EN)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {"first_name", "rights", "declaration", "subject", "extra"} <= set(errors)


@pytest.mark.parametrize("body", [
    pytest.param("[1, 2]", id="list"), pytest.param('"text"', id="string"),
    pytest.param("42", id="number"), pytest.param("null", id="null"),
    pytest.param("true", id="bool"), pytest.param("{", id="broken"),
    pytest.param("", id="empty"), pytest.param("[" * 50_000, id="deeply-nested"),
    pytest.param('{"a": 1}{"b": 2}', id="two-objects"),
    pytest.param("1" * 5000, id="huge-integer"),
])
@pytest.mark.parametrize("lang", ["tr", "en"])
def test_a_body_that_is_not_a_json_object_gets_a_400(app, client, body, lang):
    response = client.post(URL, data=body, content_type="application/json",
                           headers=EN if lang == "en" else {})
    assert response.status_code == 400
    message = ("The request body must be a JSON object." if lang == "en"
               else "İstek gövdesi bir JSON nesnesi olmalıdır.")
    assert response.get_json() == {"errors": {"_body": [message]}}
    assert count_applications(app) == 0


def test_json_under_another_content_type_is_refused(client):
    response = client.post(URL, data=json.dumps(api_payload()), content_type="text/plain")
    assert response.status_code == 400


def test_openapi_document_describes_both_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1.")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert set(doc["paths"]) == {"/api/v1/requests", "/api/v1/requests/{tracking_no}",
                                 "/api/v1/requests/{tracking_no}/receipt.pdf"}
    post = doc["paths"]["/api/v1/requests"]["post"]
    get = doc["paths"]["/api/v1/requests/{tracking_no}"]["get"]
    assert set(post["responses"]) == {"201", "400", "422", "429"}
    assert set(get["responses"]) >= {"200", "404"}
    for operation in (post, get):
        for code, answer in operation["responses"].items():
            assert answer["description"], code
            assert "schema" in answer["content"]["application/json"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] is False
    # The document matches what the endpoint accepts.
    assert set(schema["properties"]) == set(api_payload()) | {"passport_no"}
    assert schema["properties"]["rights"]["items"]["enum"] == list(RIGHT_CODES)
    assert schema["properties"]["relationship"]["enum"] == list(RELATIONSHIP_CODES)
    assert schema["properties"]["reply_channel"]["enum"] == list(REPLY_CHANNEL_CODES)
    created = post["responses"]["201"]["content"]["application/json"]["schema"]
    assert {"tracking_no", "access_code", "received_at", "statutory_due",
            "outer_due", "status"} <= set(created["required"])
    path_params = {p["name"] for p in get["parameters"]}
    assert {"tracking_no", "X-Access-Code"} <= path_params
