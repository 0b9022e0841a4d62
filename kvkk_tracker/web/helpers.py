"""Small request-side helpers shared by the blueprints."""

from __future__ import annotations

from flask import request
from flask_babel import format_decimal


def client_ip() -> str | None:
    return request.remote_addr


def format_size(size: int) -> str:
    """Return a byte count for people, rounded down since it states a limit: 10 MB, 1,5 MB."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{format_decimal(int(size * 10 / factor) / 10, format='#,##0.#')} {unit}"
    return f"{format_decimal(size)} B"
