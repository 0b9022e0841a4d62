"""Who performs an operation: passed explicitly, never read from Flask globals."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str  # public | api | user | system
    ident: str  # a user id, a job name, or the channel
    ip: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.ident}"


def public_actor(ip: str | None) -> Actor:
    return Actor("public", "web", ip)


def api_actor(ip: str | None) -> Actor:
    return Actor("api", "v1", ip)


def system_actor(job: str) -> Actor:
    return Actor("system", job)
