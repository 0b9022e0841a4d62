"""Cookies, headers and the reverse proxy, in process: what a browser is told on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..builders import form_data

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PUBLIC_PAGES = ("/", "/apply", "/status", "/privacy", "/cookies", "/login")


def cookie_flags(response, name: str) -> set[str]:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return {part.strip() for part in header.split(";")[1:]}


def production(make_app, **overrides):
    return make_app(KVKK_ENV="production", SECRET_KEY="s" * 64, KVKK_FIRST_RUN_ADMIN=False,
                    WTF_CSRF_ENABLED=True,
                    **overrides)


def test_production_cookies_are_secure_httponly_and_samesite(make_app):
    app = production(make_app)
    client = app.test_client()
    assert {"Secure", "HttpOnly", "SameSite=Strict"} <= cookie_flags(client.get("/apply"),
                                                                      "session")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= cookie_flags(client.get("/?lang=en"),
                                                                   "lang")
    # Flask-Login's remember cookie, should sign-in ever set one.
    assert (app.config["REMEMBER_COOKIE_SECURE"], app.config["REMEMBER_COOKIE_HTTPONLY"],
            app.config["REMEMBER_COOKIE_SAMESITE"]) == (True, True, "Strict")


def test_development_cookies_work_over_plain_http(make_app):
    app = make_app(KVKK_ENV="development", WTF_CSRF_ENABLED=True, KVKK_FIRST_RUN_ADMIN=False)
    flags = cookie_flags(app.test_client().get("/apply"), "session")
    assert "Secure" not in flags and {"HttpOnly", "SameSite=Strict"} <= flags


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_no_template_has_inline_script_handlers_or_styles():
    """The CSP forbids them: a browser would silently drop them."""
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if relative.parts[0] in ("pdf", "email") or path.name.endswith("_pdf.html"):
            continue  # rendered into PDFs or mails, never served under the CSP
        source = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)", r"\son[a-z]+\s*=", r"\sstyle\s*="):
            offenders += [f"{relative}: {m.group(0)!r}" for m in re.finditer(pattern, source)]
    assert offenders == []


def test_hsts_only_over_https(make_app):
    client = make_app().test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://kvkk.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_forwarded_scheme_is_believed_only_from_the_configured_proxies(make_app):
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    direct = make_app().test_client().get("/", headers=https)
    assert "Strict-Transport-Security" not in direct.headers
    proxied = make_app(KVKK_PROXY_COUNT=1).test_client().get("/", headers=https)
    assert "Strict-Transport-Security" in proxied.headers


def test_a_negative_proxy_count_is_refused(make_app):
    with pytest.raises(RuntimeError, match="KVKK_PROXY_COUNT"):
        make_app(KVKK_PROXY_COUNT=-1)


@pytest.mark.parametrize(("proxies", "second_client_status"), [(1, 303), (0, 429)])
def test_rate_limits_key_on_the_client_behind_the_proxy(make_app, proxies, second_client_status):
    """Behind a proxy every request comes from the proxy's address: without ProxyFix one
    abusive client would lock everybody out; with it each client has its own allowance. And
    without a proxy configured, a client cannot dodge its limit by inventing addresses."""
    app = make_app(RATELIMIT_ENABLED=True, KVKK_RATELIMIT_APPLY="2 per minute",
                   KVKK_PROXY_COUNT=proxies)
    client = app.test_client()
    first = {"X-Forwarded-For": "203.0.113.7"}
    assert [client.post("/apply", data=form_data(), headers=first).status_code
            for _ in range(3)] == [303, 303, 429]
    other = client.post("/apply", data=form_data(), headers={"X-Forwarded-For": "198.51.100.9"})
    assert other.status_code == second_client_status
