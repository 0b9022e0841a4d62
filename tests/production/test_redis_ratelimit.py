"""Rate limits shared through Redis hold across gunicorn workers; per-worker memory does not.

Two real sync workers, the API submit limit at 5 per hour (an hour, so that no window
boundary falls inside the test). Requests go out four at a time until the access log shows
that both workers answered; with Redis exactly 5 are accepted whatever the spread, with
memory:// each worker keeps its own count and lets more through.
"""

from __future__ import annotations

import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from kvkk_tracker.models import Application

from ..builders import api_payload
from .conftest import server_env

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own on a shared server
LIMIT = 5
BODY = json.dumps(api_payload(), ensure_ascii=False).encode()
HEADERS = {"Content-Type": "application/json"}


@pytest.fixture
def redis_prefix():
    """A unique key prefix; every key under it is deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        client.close()
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but no Redis at 127.0.0.1:6379")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (REQUIRE_REDIS=1 makes this fail)")
    prefix = f"kvkktest{uuid.uuid4().hex[:12]}"
    yield client, prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    assert list(client.scan_iter(match=f"*{prefix}*")) == []
    client.close()


def stored(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Application))
    finally:
        engine.dispose()


def submit_until_both_workers_answered(server, max_requests: int = 80) -> list[int]:
    statuses: list[int] = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        while len(statuses) < max_requests:
            batch = pool.map(lambda _: server.request("POST", "/api/v1/requests", BODY,
                                                      HEADERS).status, range(4))
            statuses += list(batch)
            if len(statuses) > 2 * LIMIT and len(server.worker_pids("POST")) == 2:
                break
    assert len(server.worker_pids("POST")) == 2, "every request landed on one worker"
    return statuses


@pytest.mark.parametrize("storage", ["redis", "memory"])
def test_submit_limit_across_two_workers(start_gunicorn, tmp_path, database_url, redis_prefix,
                                         storage):
    client, prefix = redis_prefix
    uri = REDIS_URL if storage == "redis" else "memory://"
    server = start_gunicorn(server_env(
        tmp_path, database_url, RATELIMIT_ENABLED="true", RATELIMIT_STORAGE_URI=uri,
        RATELIMIT_KEY_PREFIX=prefix, KVKK_RATELIMIT_API_SUBMIT=f"{LIMIT} per hour"))
    statuses = submit_until_both_workers_answered(server)
    assert set(statuses) == {201, 429}
    accepted = statuses.count(201)
    assert stored(database_url) == accepted  # a refused request stores nothing
    if storage == "redis":
        assert accepted == LIMIT
        assert list(client.scan_iter(match=f"*{prefix}*")), "the counter is not in Redis"
    else:  # what the Redis setting is for: each worker counted on its own
        assert LIMIT < accepted <= 2 * LIMIT
