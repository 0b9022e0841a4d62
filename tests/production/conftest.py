"""Real gunicorn servers for the production tests: the deploy/ config, the test's database."""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
HOST = "127.0.0.1"
# Settings of the test run that must not leak into the servers it starts.
_SCRUB = ("KVKK_", "FLASK_", "DATABASE_URL", "SECRET_KEY", "RATELIMIT_", "SCHEDULER_", "MAIL_")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(tmp_path: Path, database_url: str, **settings: str) -> dict[str, str]:
    """A production environment: secret key, database URL, own instance folder."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(_SCRUB) or k.startswith("KVKK_TEST_")}
    env.update({"KVKK_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": database_url, "KVKK_INSTANCE_PATH": str(tmp_path / "instance"),
                "KVKK_UPLOAD_DIR": str(tmp_path / "uploads"), "KVKK_FIRST_RUN_ADMIN": "false",
                "RATELIMIT_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(settings)
    return env


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Gunicorn:
    """A gunicorn master on a free loopback port; its access log names the answering worker."""

    process: subprocess.Popen
    port: int
    log: Path
    access_log: Path
    stopped: bool = field(default=False)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> Response:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            answer = conn.getresponse()
            return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()},
                            answer.read())
        finally:
            conn.close()

    def worker_pids(self, method: str = "", path: str = "") -> set[int]:
        """The workers that answered requests (matching method and path) so far."""
        pattern = re.compile(rf'"{method}[A-Z]* {re.escape(path)}[^"]*" \d+ .* <(\d+)>$')
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return {int(m.group(1)) for line in lines if (m := pattern.search(line))}

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                if self.request("GET", "/healthz").status in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn not ready after {timeout} s:\n{self.log_text()}")

    def wait_for_workers(self, workers: int, timeout: float = 60) -> None:
        """Probe in pairs until every worker has answered: the first one booted answers the
        readiness probe while the others may still be importing the app."""
        deadline = time.monotonic() + timeout
        with ThreadPoolExecutor(max_workers=2) as pool:
            while len(self.worker_pids("GET", "/healthz")) < workers:
                if time.monotonic() > deadline:
                    pytest.fail(f"only {self.worker_pids('GET', '/healthz')} of {workers} "
                                f"workers answered:\n{self.log_text()}")
                list(pool.map(lambda _: self.request("GET", "/healthz"), range(2)))
                time.sleep(0.05)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        return self.process.returncode

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


PR_SET_PDEATHSIG = 1


def die_with_pytest() -> None:
    """Run in the child before exec: SIGTERM it when pytest dies, even by SIGKILL, which runs
    no fixture teardown (a gunicorn left behind keeps its port and its database)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@pytest.fixture
def start_gunicorn(tmp_path):
    """Factory: start gunicorn with deploy/gunicorn.conf.py and `env`; stopped after the test."""
    started: list[Gunicorn] = []

    def start(env: dict[str, str], workers: int = 2, wait: bool = True) -> Gunicorn:
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        access = tmp_path / f"access-{port}.log"
        args = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF),
                "--bind", f"{HOST}:{port}", "--workers", str(workers),
                "--access-logfile", str(access), "kvkk_tracker:create_app()"]
        with log.open("wb") as handle:
            process = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=handle,
                                       stderr=subprocess.STDOUT, start_new_session=True,
                                       preexec_fn=die_with_pytest)
        server = Gunicorn(process, port, log, access)
        started.append(server)
        if wait:
            server.wait_ready()
            server.wait_for_workers(workers)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def database_url(db_template, tmp_path):
    """A migrated database of the suite's backend (SQLite file or PostgreSQL), dropped after."""
    url = db_template.clone(tmp_path)
    yield url
    db_template.drop_clone(url)
