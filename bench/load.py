"""Load test of the production set-up: N concurrent submitters against gunicorn for T seconds.

    .venv/bin/python bench/load.py [--seconds 60] [--concurrency 100] [--workers 5]
                                   [--database postgresql|sqlite] [--database-url URL]

gunicorn runs `kvkk_tracker:create_app()` with deploy/gunicorn.conf.py in production mode
(rate limits off: one client address sends everything), on 127.0.0.1 only. Each of the N client
threads sends POST /api/v1/requests and waits for the answer before sending the next (the
client of bench/intake.py), for a fixed time; nothing else, no warm-up, so that every 201 is
counted. Then it counts the applications stored.

It prints throughput, latency percentiles, every non-201 answer or connection error by kind,
and the load average, and exits non-zero if any request failed or if the stored applications
differ from the 201s. With --database postgresql (the default) it creates a scratch database
next to the server at 127.0.0.1:5432 (KVKK_BENCH_PG_ADMIN, trust auth), migrates it with
`kvkk-tracker db upgrade`, and drops it at the end; --database-url uses an existing migrated
database instead and leaves it (the test suite passes its own).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from intake import HOST, free_port, load, machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "deploy" / "gunicorn.conf.py"
CLI = str(Path(sys.executable).with_name("kvkk-tracker"))
PG_ADMIN = os.environ.get("KVKK_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def env_for(tmp: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KVKK_", "FLASK_", "DATABASE_URL", "SECRET_KEY", "RATELIMIT_",
                                "SCHEDULER_"))}
    env.update({"KVKK_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": url, "KVKK_INSTANCE_PATH": str(tmp / "instance"),
                "KVKK_UPLOAD_DIR": str(tmp / "uploads"), "KVKK_FIRST_RUN_ADMIN": "false",
                "RATELIMIT_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1",
                "GUNICORN_ACCESS_LOG": str(tmp / "access.log"),
                "GUNICORN_LOG_LEVEL": "warning"})
    return env


def count_applications(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM applications"))
    finally:
        engine.dispose()


class ScratchDatabase:
    """A PostgreSQL database of the benchmark's own, dropped at the end."""

    def __init__(self):
        self.name = f"kvkk_bench_{uuid.uuid4().hex[:12]}"

    def __enter__(self) -> str:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        url = make_url(PG_ADMIN.replace("postgresql://", "postgresql+psycopg://", 1))
        return url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *_exc) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(args, tmp: Path, url: str) -> dict:
    env = env_for(tmp, url)
    subprocess.run([CLI, "db", "upgrade"], env=env, cwd=tmp, check=True, timeout=300,
                   capture_output=True)
    before = count_applications(url)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(CONF), "--bind", f"{HOST}:{port}"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    log = tmp / "gunicorn.log"
    with log.open("wb") as handle:
        server = subprocess.Popen([*command, "kvkk_tracker:create_app()"], env=env, cwd=tmp,
                                  stdout=handle, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        wait_ready(server, port, log)
        load_before = loadavg()
        part = load(port, "/api/v1/requests", args.seconds, args.concurrency)
        load_after = loadavg()
    finally:
        server.terminate()
        server.wait(timeout=60)
    answered_by = {line.split()[-1] for line in (tmp / "access.log").read_text().splitlines()
                   if '"POST ' in line}
    created = len(part.latencies)
    rows = count_applications(url) - before
    latencies = sorted(part.latencies)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 \
            if latencies else float("nan")

    return {"created": created, "seconds": part.seconds, "rate": created / part.seconds,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
            "failures": part.failures, "rows": rows, "workers_answering": len(answered_by),
            "load_before": load_before, "load_after": load_after,
            "server_exit": server.returncode}


def wait_ready(server: subprocess.Popen, port: int, log: Path, timeout: float = 90) -> None:
    import http.client
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(errors='replace')}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            ok = conn.getresponse().status == 200
            conn.close()
            if ok:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn not ready:\n{log.read_text(errors='replace')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=100, help="client threads")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--database-url", help="an existing migrated database to use")
    parser.add_argument("--json", dest="json_out", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 600 or not 0 < args.concurrency <= 500:
        parser.error("--seconds must be in (0, 600] and --concurrency in (0, 500]")

    started = datetime.now(UTC)
    print(f"Production load test, {started:%Y-%m-%d %H:%M} UTC; machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="kvkk-load-") as name:
        tmp = Path(name)
        if args.database_url:
            database = make_url(args.database_url).get_backend_name()
            result = run(args, tmp, args.database_url)
        elif args.database == "postgresql":
            database = "postgresql"
            with ScratchDatabase() as url:
                result = run(args, tmp, url)
        else:
            database = "sqlite"
            result = run(args, tmp, f"sqlite:///{tmp / 'load.db'}")
    failures = ", ".join(f"{k}: {v}" for k, v in result["failures"].items()) or "none"
    print(f"{args.concurrency} concurrent submitters, {result['seconds']:.1f} s, gunicorn "
          f"{args.workers or 'default'} workers ({result['workers_answering']} answered), "
          f"{database}, loopback")
    print(f"load average (1/5/15 min) before: {result['load_before']}, "
          f"after: {result['load_after']}")
    print(f"201s: {result['created']}  req/s: {result['rate']:.1f}  p50 {result['p50_ms']:.0f} ms"
          f"  p95 {result['p95_ms']:.0f} ms  p99 {result['p99_ms']:.0f} ms  "
          f"max {result['max_ms']:.0f} ms")
    ok = not result["failures"] and result["rows"] == result["created"]
    print(f"errors: {failures}; applications stored: {result['rows']} "
          f"({'equal to' if result['rows'] == result['created'] else 'DIFFERENT FROM'} "
          f"the 201s)")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"date": started.isoformat(timespec="seconds"), "database": database,
             "args": vars(args), **result}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
