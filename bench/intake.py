"""Benchmark the intake API against its ceiling: submissions per second and p50/p99 latency.

    .venv/bin/python bench/intake.py [--seconds 15] [--concurrency 8] [--workers 2] [--rounds 3]
                                     [--database sqlite|postgresql]

Measures, on 127.0.0.1 only:

1. the ceiling: bench/bare_app.py, which inserts one row per POST with no validation, on the
   same stack (Flask + Flask-SQLAlchemy + SQLite WAL, same connection settings);
2. the product: POST /api/v1/requests of `kvkk_tracker:create_app()`, on a fresh instance
   folder migrated with `flask db upgrade` first, rate limits off.

Both run at the same time under gunicorn, each with the same number of sync workers; the load
goes to one at a time, alternating in --rounds slices, so that drift in the machine's background
load hits both alike. The load is a bounded Python client: N threads, each with its own
http.client connection (kept alive when the server allows; gunicorn's sync workers close after
every response, so the client reconnects), for a fixed time after a short warm-up.

It prints both results and their ratio, and the CPU time per request of the gunicorn workers
(read from /proc), which varies less than throughput on a shared machine. At the end it checks
that the rows stored equal the 201 responses, and exits non-zero if they do not or if any
request failed. Everything lives in a temporary folder that is removed at the end.

With --database postgresql both apps write to PostgreSQL at 127.0.0.1:5432 instead (two
scratch databases, created with KVKK_BENCH_PG_ADMIN's trust login and dropped at the end):
the ceiling is the same bare insert, the product the same app; only the URLs differ.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import platform
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import bare_app

BENCH = Path(__file__).resolve().parent
PG_ADMIN = os.environ.get("KVKK_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
HOST = "127.0.0.1"
TARGET_RATIO = 0.60
PAYLOAD = json.dumps({
    "first_name": "Işıl",
    "last_name": "Çağlayan",
    "nationality": "TR",
    "tckn": "17291716060",
    "address": "Kızılay Mah. Atatürk Blv. No: 5, Çankaya/Ankara",
    "email": "isil@example.com.tr",
    "phone": "0532 123 45 67",
    "relationship": "customer",
    "rights": ["a", "cc"],
    "subject": "Hangi kişisel verilerimin işlendiğini öğrenmek istiyorum.",
    "reply_channel": "email",
    "declaration": True,
}, ensure_ascii=False).encode()
HEADERS = {"Content-Type": "application/json", "Accept-Language": "tr",
           "Connection": "keep-alive"}


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of 201s, in seconds
    warmup_created: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    rows: int | None = None
    client_cpu: float = 0.0  # CPU seconds the load generator used while measuring
    server_cpu: float | None = 0.0  # CPU seconds of the gunicorn workers while measuring

    @property
    def created(self) -> int:  # 201s while measuring
        return len(self.latencies)

    @property
    def total_created(self) -> int:
        return self.created + self.warmup_created

    @property
    def rate(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0

    def percentile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000

    def per_request_ms(self, cpu: float | None) -> float:
        return cpu / self.created * 1000 if cpu is not None and self.created else float("nan")

    def count_failures(self, failures: dict[str, int], prefix: str = "") -> None:
        for key, count in failures.items():
            self.failures[prefix + key] = self.failures.get(prefix + key, 0) + count


@dataclass
class Target:
    key: str
    name: str
    app_spec: str
    path: str
    ready_path: str
    env: dict
    count_rows: Callable[[], int]
    extra: list[str] = field(default_factory=list)
    port: int = 0
    process: subprocess.Popen | None = None
    log: Path | None = None

    def start(self, workers: int, cwd: Path) -> None:
        self.port = free_port()
        self.log = cwd / f"{self.key}-gunicorn.log"
        args = [sys.executable, "-m", "gunicorn", "--workers", str(workers),
                "--bind", f"{HOST}:{self.port}", "--log-level", "warning", "--timeout", "60",
                *self.extra, self.app_spec]
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(args, cwd=cwd, env=self.env, stdout=handle,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited with "
                                   f"{self.process.returncode}:\n{self.log_text()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", self.ready_path)
                ready = conn.getresponse().status == 200
                conn.close()
                if ready:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name}: not ready after {timeout} s:\n{self.log_text()}")

    def workers_cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) used so far by each child of the gunicorn master."""
        ticks = os.sysconf("SC_CLK_TCK")
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # fields[1] is the parent pid
                found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks
        return found

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""


@dataclass
class Slice:
    seconds: float
    latencies: list[float]
    failures: dict[str, int]
    client_cpu: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def load(port: int, path: str, seconds: float, concurrency: int) -> Slice:
    """Run `concurrency` client threads for `seconds`; each waits for its reply before sending."""
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    latencies: list[float] = []
    failures: dict[str, int] = {}
    finished: list[float] = []

    def client() -> None:
        mine: list[float] = []
        failed: dict[str, int] = {}
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        start.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=PAYLOAD, headers=HEADERS)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                failed[type(exc).__name__] = failed.get(type(exc).__name__, 0) + 1
                continue
            if response.status == 201:
                mine.append(time.perf_counter() - began)
            else:
                key = f"HTTP {response.status}"
                failed[key] = failed.get(key, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for key, count in failed.items():
                failures[key] = failures.get(key, 0) + count
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=client, name=f"client-{i}", daemon=True)
               for i in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    cpu_began = time.process_time()
    for thread in threads:
        thread.join(timeout=seconds + 120)
        if thread.is_alive():
            raise RuntimeError("a client thread did not finish")
    return Slice(max(finished) - began, latencies, failures, time.process_time() - cpu_began)


def measure(targets: list[Target], args) -> list[Result]:
    results = [Result(t.name) for t in targets]
    if args.warmup > 0:
        for target, result in zip(targets, results, strict=True):
            warm = load(target.port, target.path, args.warmup, args.concurrency)
            result.warmup_created = len(warm.latencies)
            result.count_failures(warm.failures, "warm-up ")
    for _round in range(args.rounds):
        for target, result in zip(targets, results, strict=True):
            before = target.workers_cpu()
            part = load(target.port, target.path, args.seconds / args.rounds, args.concurrency)
            after = target.workers_cpu()
            result.seconds += part.seconds
            result.latencies.extend(part.latencies)
            result.count_failures(part.failures)
            result.client_cpu += part.client_cpu
            if result.server_cpu is not None and before.keys() == after.keys():
                result.server_cpu += sum(after.values()) - sum(before.values())
            else:  # a worker was restarted: its CPU time cannot be accounted for
                result.server_cpu = None
    return results


def base_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KVKK_", "FLASK_", "DATABASE_URL", "SECRET_KEY", "RATELIMIT_"))}
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "RATELIMIT_ENABLED": "false",
                "SCHEDULER_ENABLED": "false", "KVKK_INSTANCE_PATH": str(tmp / "instance")})
    return env


def count_sqlite(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
    conn.close()
    return count


class ScratchPostgres:
    """PostgreSQL databases of the benchmark's own, dropped at the end."""

    def __init__(self):
        import psycopg

        self.psycopg, self.names = psycopg, []

    def create(self, kind: str) -> str:
        from sqlalchemy.engine import make_url

        name = f"kvkk_bench_{kind}_{uuid.uuid4().hex[:10]}"
        with self.psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        url = make_url(PG_ADMIN.replace("postgresql://", "postgresql+psycopg://", 1))
        return url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in self.names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def version(self) -> str:
        with self.psycopg.connect(PG_ADMIN) as conn:
            return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def count_url(url: str, table: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
    engine.dispose()
    return count


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs{f' ({model})' if model else ''}, {platform.platform()}"


def versions() -> str:
    from importlib.metadata import version

    names = ("flask", "flask-sqlalchemy", "sqlalchemy", "gunicorn")
    return ", ".join(f"{n} {version(n)}" for n in names) + f", SQLite {sqlite3.sqlite_version}"


def product_source(cwd: Path, env: dict) -> str:
    """Which kvkk_tracker the servers will import, and its git commit if it is a checkout."""
    found = subprocess.run(
        [sys.executable, "-c", "import kvkk_tracker; print(kvkk_tracker.__file__)"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=True)
    package = Path(found.stdout.strip()).resolve().parent
    git = subprocess.run(["git", "-C", str(package), "log", "-1", "--format=%h %cI"],
                         capture_output=True, text=True, timeout=30, check=False)
    if git.returncode != 0:
        return f"{package} (not a git checkout)"
    dirty = subprocess.run(["git", "-C", str(package.parent), "status", "--porcelain", "--",
                            "kvkk_tracker", "migrations", "templates", "config.py"],
                           capture_output=True, text=True, timeout=30, check=False).stdout
    return f"{package} at {git.stdout.strip()}{', with local changes' if dirty else ''}"


def print_table(results: list[Result]) -> None:
    print(f"{'endpoint':<24} {'201s':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'server CPU':>10} {'client CPU':>10}  failures")
    for r in results:
        failures = ", ".join(f"{k}: {v}" for k, v in r.failures.items()) or "0"
        print(f"{r.name:<24} {r.created:>6} {r.rate:>7.1f} {r.percentile(50):>7.1f} "
              f"{r.percentile(99):>7.1f} {r.per_request_ms(r.server_cpu):>7.2f} ms "
              f"{r.per_request_ms(r.client_cpu):>7.2f} ms  {failures}")
    print("(CPU columns: CPU time per 201 response, of the gunicorn workers and of this client)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="measured time per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured warm-up, seconds")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate the endpoints this many times")
    parser.add_argument("--json", dest="json_out", help="also write the results to this file")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="where both apps write (PostgreSQL at 127.0.0.1:5432)")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or min(args.concurrency, args.workers, args.rounds) < 1:
        parser.error("--seconds, --concurrency, --workers and --rounds must be positive")

    started = datetime.now(UTC)
    print(f"Intake API benchmark, {started:%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    postgres = ScratchPostgres() if args.database == "postgresql" else None
    if postgres:
        atexit.register(postgres.drop_all)  # also after a failure half-way
    stack = versions() + (f", PostgreSQL {postgres.version()}" if postgres else "")
    print(f"stack: Python {platform.python_version()}, {stack}; database: {args.database}")
    print(f"load average (1/5/15 min) before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"load: {args.concurrency} client threads, {args.warmup:g} s warm-up + "
          f"{args.seconds:g} s per endpoint in {args.rounds} alternating rounds, "
          f"gunicorn {args.workers} sync workers each, loopback; payload {len(PAYLOAD)} bytes")

    with tempfile.TemporaryDirectory(prefix="kvkk-bench-") as name:
        tmp = Path(name)
        env = base_env(tmp)
        if postgres:
            env["DATABASE_URL"] = postgres.create("product")
        print(f"product: {product_source(tmp, env)}")
        upgrade = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "kvkk_tracker:create_app", "db", "upgrade"],
            cwd=tmp, env=env, capture_output=True, text=True, timeout=120, check=False)
        if upgrade.returncode != 0:
            print(f"db upgrade failed:\n{upgrade.stdout}{upgrade.stderr}", file=sys.stderr)
            return 2
        bare_db = tmp / "bare.db"
        bare_app.init_db(str(bare_db))
        product_db = tmp / "instance" / "kvkk.db"
        bare_env = {**env, "BARE_DB": str(bare_db)}
        count_bare = partial(bare_app.count_rows, str(bare_db))
        count_product = partial(count_sqlite, product_db, "applications")
        if postgres:
            bare_url = postgres.create("bare")
            bare_app.init_url(bare_url)
            bare_env = {**env, "BARE_DATABASE_URL": bare_url}
            count_bare = partial(bare_app.count_url, bare_url)
            count_product = partial(count_url, env["DATABASE_URL"], "applications")
        targets = [
            Target("bare", "bare insert (ceiling)", "bare_app:create_app()", "/bare", "/health",
                   bare_env, count_bare, extra=["--pythonpath", str(BENCH)]),
            Target("product", "POST /api/v1/requests", "kvkk_tracker:create_app()",
                   "/api/v1/requests", "/api/v1/openapi.json", env, count_product),
        ]
        try:
            for target in targets:
                target.start(args.workers, tmp)
            for target in targets:
                target.wait_ready()
            results = measure(targets, args)
        finally:
            for target in targets:
                target.stop()
        for target, result in zip(targets, results, strict=True):
            if target.process.returncode not in (0, -signal.SIGTERM):
                print(f"{target.name}: gunicorn exited with {target.process.returncode}:\n"
                      f"{target.log_text()}", file=sys.stderr)
            result.rows = target.count_rows()

    bare, product = results
    print(f"load average (1/5/15 min) at the end: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print_table(results)
    ratio = product.rate / bare.rate if bare.rate else 0.0
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    cpu_ratio = bare.per_request_ms(bare.server_cpu) / product.per_request_ms(product.server_cpu)
    print(f"\nratio product/ceiling: {ratio:.0%} ({verdict} the {TARGET_RATIO:.0%} target); "
          f"by server CPU per request: {cpu_ratio:.0%}")

    ok = True
    for r in results:
        match = r.rows == r.total_created
        ok &= match and not r.failures
        print(f"rows stored, {r.name}: {r.rows} rows, {r.total_created} 201s "
              f"(incl. {r.warmup_created} in warm-up): {'OK' if match else 'MISMATCH'}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({
            "date": started.isoformat(timespec="seconds"), "machine": machine(),
            "args": vars(args), "ratio": ratio, "cpu_ratio": cpu_ratio,
            "results": [{"name": r.name, "created": r.created, "seconds": r.seconds,
                         "rate": r.rate, "p50_ms": r.percentile(50), "p99_ms": r.percentile(99),
                         "server_cpu_ms_per_request": r.per_request_ms(r.server_cpu),
                         "client_cpu_ms_per_request": r.per_request_ms(r.client_cpu),
                         "failures": r.failures, "rows": r.rows,
                         "total_created": r.total_created} for r in results],
        }, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
