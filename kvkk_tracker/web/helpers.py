"""Small request-side helpers shared by the blueprints."""

from __future__ import annotations

from flask import request


def client_ip() -> str | None:
    return request.remote_addr
