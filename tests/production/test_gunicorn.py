"""gunicorn with deploy/gunicorn.conf.py in production mode: starts, protects, refuses, and
keeps the scheduler out of the web workers (one `kvkk-tracker scheduler` process instead)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from kvkk_tracker.models import SchedulerHeartbeat

from .conftest import server_env

CLI = str(Path(sys.executable).with_name("kvkk-tracker"))


def heartbeats(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(
                select(SchedulerHeartbeat.name, SchedulerHeartbeat.mode))]
    finally:
        engine.dispose()


def test_served_by_gunicorn_with_secure_cookies_and_headers(start_gunicorn, tmp_path,
                                                            database_url):
    server = start_gunicorn(server_env(tmp_path, database_url, KVKK_PROXY_COUNT="1"))
    health = server.request("GET", "/healthz")
    assert (health.status, health.json()) == (200, {"status": "ok",
                                                    "checks": {"database": {"ok": True}}})
    login = server.request("GET", "/login")  # a form: the session cookie carries its CSRF token
    assert login.status == 200
    cookie = login.headers["set-cookie"]
    assert cookie.startswith("session=")
    assert {"Secure", "HttpOnly", "SameSite=Strict"} <= {p.strip() for p in cookie.split(";")}
    csp = login.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert login.headers["x-content-type-options"] == "nosniff"
    assert login.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in login.headers  # plain HTTP
    # Behind the one trusted proxy that terminated TLS:
    behind_tls = server.request("GET", "/login", headers={"X-Forwarded-Proto": "https"})
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=31536000")


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(start_gunicorn, tmp_path,
                                                              database_url):
    server = start_gunicorn(server_env(tmp_path, database_url))
    claimed = server.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
    assert claimed.status == 200
    assert "strict-transport-security" not in claimed.headers


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_secret_or_database(start_gunicorn, tmp_path,
                                                                database_url, missing):
    env = server_env(tmp_path, database_url)
    del env[missing]
    server = start_gunicorn(env, workers=1, wait=False)
    assert server.process.wait(timeout=60) != 0
    assert f"production configuration needs {missing}; refusing to start" in server.log_text()


def test_web_workers_never_run_the_scheduler_and_health_wants_the_dedicated_one(
        start_gunicorn, tmp_path, database_url):
    # SCHEDULER_ENABLED=true in the environment, as a careless unit file might have it:
    # the gunicorn config still keeps the scheduler out of every worker.
    env = server_env(tmp_path, database_url, SCHEDULER_ENABLED="true",
                     SCHEDULER_HEARTBEAT_SECONDS="1", KVKK_HEALTH_EXPECT_SCHEDULER="true",
                     KVKK_HEALTH_SCHEDULER_MAX_AGE_SECONDS="30", MAIL_PORT="1")
    server = start_gunicorn(env)
    for _ in range(6):  # both workers answer and neither has started a scheduler
        health = server.request("GET", "/healthz")
        assert health.status == 503
        assert health.json()["checks"]["scheduler"] == {
            "ok": False, "reason": "no scheduler heartbeat", "max_age_seconds": 30}
    assert heartbeats(database_url) == []

    scheduler = subprocess.Popen([CLI, "scheduler"], env=env, cwd=tmp_path,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while (health := server.request("GET", "/healthz")).status != 200:
            assert scheduler.poll() is None, scheduler.stderr.read()
            assert time.monotonic() < deadline, health.body
            time.sleep(0.3)
        checks = health.json()["checks"]
        assert checks["database"] == {"ok": True}
        assert checks["scheduler"]["ok"] and checks["scheduler"]["age_seconds"] <= 30
        [(_name, mode)] = heartbeats(database_url)  # one scheduler process, and it is that one
        assert mode == "dedicated"
    finally:
        scheduler.terminate()
        assert scheduler.wait(timeout=30) == 0, scheduler.stderr.read()
        scheduler.stderr.close()
