"""The cookie page tells the truth, and the landing page shows every right and every channel."""

from __future__ import annotations

import pytest

from kvkk_tracker.domain.rights import CHANNELS, RIGHTS

from ..builders import api_payload, form_data
from .support import PDF, csrf_token, page, upload


def _cookie_names(response) -> set[str]:
    return {header.split("=", 1)[0].strip() for header in response.headers.getlist("Set-Cookie")}


def _crawl(app, lang_query: str) -> tuple[set[str], dict[str, list[str]]]:
    """Visit every public page as a new visitor would, filing and tracking an application."""
    client = app.test_client()
    seen: set[str] = set()
    headers: dict[str, list[str]] = {}

    def visit(response, expected: int):
        assert response.status_code == expected, response.request.path
        seen.update(_cookie_names(response))
        for header in response.headers.getlist("Set-Cookie"):
            headers.setdefault(header.split("=", 1)[0], []).append(header)
        return response

    q = lang_query
    for path in ("/", "/privacy", "/cookies", "/status", "/no-such-page"):
        visit(client.get(f"{path}{q}"), 404 if path == "/no-such-page" else 200)
    token = csrf_token(visit(client.get(f"/apply{q}"), 200))
    visit(client.post(f"/apply{q}", data=form_data(first_name="", csrf_token=token)), 400)
    visit(client.post(f"/apply{q}", data=form_data(
        csrf_token=token, attachments=upload(PDF, "belge.pdf"))), 303)
    done = page(visit(client.get(f"/apply/done{q}"), 200))
    number, code = done.by_testid("tracking-no"), done.by_testid("access-code")
    visit(client.get(f"/apply/done{q}"), 302)
    token = csrf_token(visit(client.get(f"/status{q}"), 200))
    visit(client.post(f"/status{q}", data={"tracking_no": number, "access_code": code,
                                           "csrf_token": token}), 200)
    visit(client.post(f"/status{q}", data={"tracking_no": number, "access_code": "X",
                                           "csrf_token": token}), 404)
    visit(client.post(f"/status{q}", data={"tracking_no": number, "access_code": code}), 400)
    visit(client.post(f"/api/v1/requests{q}", json=api_payload()), 201)
    visit(client.get(f"/api/v1/requests/{number}{q}", headers={"X-Access-Code": code}), 200)
    visit(client.get(f"/api/v1/openapi.json{q}"), 200)
    return seen, headers


def _listed_on_cookie_page(app) -> set[str]:
    shown = page(app.test_client().get("/cookies"))
    table = shown.find_all("table", class_="data")[0]
    return {node.text() for node in table.iter() if node.tag == "code"}


@pytest.mark.parametrize("lang_query", ["", "?lang=en"])
def test_cookies_set_anywhere_are_exactly_those_listed(csrf_app, lang_query):
    seen, _headers = _crawl(csrf_app, lang_query)
    listed = _listed_on_cookie_page(csrf_app)
    if lang_query:
        assert seen == listed
    else:
        # Without a language choice the lang cookie is never set ("Set only when you choose").
        assert seen == listed - {csrf_app.config["LANG_COOKIE_NAME"]}


def test_cookie_attributes_match_what_the_page_says(csrf_app):
    _seen, headers = _crawl(csrf_app, "?lang=en")
    session = csrf_app.config["SESSION_COOKIE_NAME"]
    lang = csrf_app.config["LANG_COOKIE_NAME"]
    for header in headers[session]:
        attrs = header.lower()
        # "Until you close the browser", "cannot be read by scripts".
        assert "expires=" not in attrs and "max-age=" not in attrs
        assert "httponly" in attrs and "samesite=strict" in attrs
    for header in headers[lang]:
        assert "max-age=31536000" in header.lower()  # "One year"
    html = csrf_app.test_client().get("/cookies?lang=en").get_data(as_text=True)
    assert "Until you close the browser" in html and "One year" in html


EXPECTED_BENTS = ["(a)", "(b)", "(c)", "(ç)", "(d)", "(e)", "(f)", "(g)", "(ğ)"]


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_landing_lists_every_right_and_every_channel_with_the_controllers_addresses(
        make_app, lang):
    app = make_app(KVKK_CONTROLLER_KEP="basvuru@test.hs02.kep.tr",
                   KVKK_CONTROLLER_ADDRESS="Deneme Sok. No: 7, 34710 Kadıköy/İstanbul",
                   KVKK_CONTROLLER_EMAIL="kvkk@deneme.com.tr")
    shown = page(app.test_client().get(f"/?lang={lang}"))
    rights = [li.text() for li in shown.find_all("ul", class_="rights-list")[0].iter()
              if li.tag == "li"]
    assert len(rights) == 10
    assert [r.split(" ", 1)[0] for r in rights[:9]] == EXPECTED_BENTS
    assert rights == [f"({r.bent}) {r.label(lang)}" if r.bent else r.label(lang)
                      for r in RIGHTS]
    channels = shown.find_all("dl", class_="channels")[0]
    names = [n.text() for n in channels.iter() if n.tag == "dt"]
    assert names == [c.label(lang) for c in CHANNELS]
    assert len(names) == 6
    how = {n.text() for n in channels.iter() if n.tag == "dd"}
    text = " ".join(how)
    assert "basvuru@test.hs02.kep.tr" in text
    assert "Deneme Sok. No: 7, 34710 Kadıköy/İstanbul" in text
    assert "kvkk@deneme.com.tr" in text
    # The form is one way in among six, and it says so.
    assert [a for a in channels.iter() if a.tag == "a" and a.get("href") == "/apply"]
