"""Security headers on every response, and trusting the reverse proxy in front (if any)."""

from __future__ import annotations

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: every script and stylesheet is a file under /static.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
HSTS = "max-age=31536000; includeSubDomains"


def register_security_headers(app) -> None:
    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Pages carry personal data and the once-only access code: keep them out of browser
        # and proxy caches (a shared computer's back button, a company proxy).
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        # Browsers ignore HSTS received over plain HTTP; sent over HTTPS (directly, or as the
        # trusted proxy reports it) it keeps them on HTTPS from then on.
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def trust_proxies(app) -> None:
    """Read the client's address and scheme from the KVKK_PROXY_COUNT proxies in front.

    Rate limits key on the client address and HSTS follows the scheme, so these headers are
    believed only from as many proxies as the setting says (each overwrites or appends them).
    """
    count = int(app.config.get("KVKK_PROXY_COUNT") or 0)
    if count < 0:
        raise RuntimeError("KVKK_PROXY_COUNT must be 0 or more")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count,
                                x_port=count)
