"""Language selection and Turkish formatting for templates."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, g, request
from flask_babel import get_locale

from .domain.deadlines import to_istanbul
from .domain.text import tr_upper


def select_locale() -> str:
    """Pick the UI language: ?lang=, then the lang cookie, then Accept-Language, else Turkish."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        g.set_lang_cookie = asked
        return asked
    cookie = request.cookies.get(current_app.config["LANG_COOKIE_NAME"])
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "tr")


def remember_language(response):
    """Keep an explicit ?lang= choice in a cookie (listed on the cookie page)."""
    lang = g.pop("set_lang_cookie", None)
    if lang is not None:
        response.set_cookie(current_app.config["LANG_COOKIE_NAME"], lang,
                            max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_istanbul(value)
    return value.strftime("%d.%m.%Y")


def format_datetime(value: datetime | None) -> str:
    return "" if value is None else to_istanbul(value).strftime("%d.%m.%Y %H:%M")


def register_template_helpers(app) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["tr_upper"] = tr_upper
    app.jinja_env.globals["current_language"] = current_language
    app.after_request(remember_language)
