"""The status page and the status API: what an applicant can learn, and what a guesser cannot."""

from __future__ import annotations

import pytest

from ..builders import FIXED_NOW, form_data
from .support import DATE_RE, csrf_token, page, without_csrf


def _lookup(client, tracking_no: str, access_code: str, query: str = ""):
    token = csrf_token(client.get(f"/status{query}"))
    return client.post(f"/status{query}", data={"tracking_no": tracking_no,
                                                 "access_code": access_code,
                                                 "csrf_token": token})


@pytest.fixture
def filed(csrf_app, monkeypatch):
    """File one application through the form, received at 01.04.2026 10:00 in Istanbul."""
    monkeypatch.setattr("kvkk_tracker.web.public.submit.utcnow", lambda: FIXED_NOW)
    client = csrf_app.test_client()
    token = csrf_token(client.get("/apply"))
    assert client.post("/apply", data=form_data(rights=["a", "e"], csrf_token=token)
                       ).status_code == 303
    done = page(client.get("/apply/done"))
    return done.by_testid("tracking-no"), done.by_testid("access-code")


@pytest.mark.parametrize("typed", [
    pytest.param(lambda no: no, id="as-issued"),
    pytest.param(lambda no: no.lower(), id="lowercase"),
    pytest.param(lambda no: no.replace("-", ""), id="no-dashes"),
    pytest.param(lambda no: f"  {no.lower().replace('-', ' ')} ", id="spaces"),
])
def test_number_and_code_show_status_dates_and_timeline(csrf_app, filed, typed):
    tracking_no, access_code = filed
    response = _lookup(csrf_app.test_client(), typed(tracking_no), access_code.lower())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    shown = page(response)
    assert shown.h1() == f"Başvuru {tracking_no}"
    assert shown.by_testid("status") == "Alındı"
    assert shown.by_testid("received") == "01.04.2026 10:00"
    assert shown.by_testid("statutory-due") == "01.05.2026"
    assert DATE_RE.match(shown.by_testid("outer-due"))
    timeline = [li.text() for li in shown.find_all("ol", class_="timeline")[0].iter()
                if li.tag == "li"]
    assert timeline == ["01.04.2026 10:00 Başvuru alındı"]
    assert "Kişisel veri işlenip işlenmediğini öğrenme" in shown.html


def test_status_in_english(csrf_app, filed):
    tracking_no, access_code = filed
    shown = page(_lookup(csrf_app.test_client(), tracking_no, access_code, "?lang=en"))
    assert shown.by_testid("status") == "Received"
    assert "Application received" in shown.find_all("ol", class_="timeline")[0].text()


def _blind(html: str, *numbers: str) -> str:
    html = without_csrf(html)
    for number in numbers:
        html = html.replace(number, "KVKK-XXXX-XXXX-XXXX")
    return html


def test_unknown_number_and_wrong_code_look_exactly_the_same(csrf_app, filed):
    tracking_no, access_code = filed
    unknown = "KVKK-2026-0000-0000"
    client = csrf_app.test_client()
    wrong_code = _lookup(client, tracking_no, "AAAA-AAAA-AAAA-AAAA")
    no_such = _lookup(client, unknown, access_code)
    assert wrong_code.status_code == no_such.status_code == 404
    # The form shows back what was typed; apart from that and the CSRF token, not one byte
    # may tell a guesser that the number exists.
    assert _blind(wrong_code.get_data(as_text=True), tracking_no, unknown) == _blind(
        no_such.get_data(as_text=True), tracking_no, unknown)
    assert "Bu takip numarası ve erişim koduyla bir başvuru bulamadık" in no_such.get_data(
        as_text=True)
    assert access_code not in wrong_code.get_data(as_text=True)


def test_status_form_with_empty_fields_explains_them(client):
    response = client.post("/status?lang=en", data={"tracking_no": "", "access_code": ""})
    assert response.status_code == 400
    shown = page(response)
    assert shown.field_errors("tracking_no") == ["Enter your tracking number."]
    assert shown.field_errors("access_code") == ["Enter your access code."]


def test_api_status_with_the_right_code(csrf_app, filed):
    tracking_no, access_code = filed
    client = csrf_app.test_client()
    response = client.get(f"/api/v1/requests/{tracking_no.lower()}",
                          headers={"X-Access-Code": access_code})
    assert response.status_code == 200
    body = response.get_json()
    assert body["tracking_no"] == tracking_no
    assert body["status"] == "received"
    assert body["statutory_due"] == "2026-05-01"
    assert body["rights"] == ["a", "e"]
    assert [e["event"] for e in body["timeline"]] == ["application.received"]
    assert "access_code" not in body


def test_api_unknown_number_and_wrong_code_give_the_same_404(csrf_app, filed):
    tracking_no, access_code = filed
    client = csrf_app.test_client()
    wrong_code = client.get(f"/api/v1/requests/{tracking_no}",
                            headers={"X-Access-Code": "AAAA-AAAA-AAAA-AAAA"})
    no_such = client.get("/api/v1/requests/KVKK-2026-0000-0000",
                         headers={"X-Access-Code": access_code})
    no_code = client.get(f"/api/v1/requests/{tracking_no}")
    garbage = client.get("/api/v1/requests/%00%ff<script>", headers={"X-Access-Code": "\x7f"})
    assert wrong_code.status_code == no_such.status_code == no_code.status_code == 404
    assert garbage.status_code == 404
    assert wrong_code.get_data() == no_such.get_data() == no_code.get_data() == garbage.get_data()
    assert wrong_code.get_json() == {"errors": {"_request": [
        "Bu takip numarası ve erişim koduyla eşleşen bir başvuru yok."]}}
