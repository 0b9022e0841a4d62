"""Time the `applications` export to CSV and XLSX on SQLite at 100,000 and 1,000,000 rows (issue 6).

    .venv/bin/python bench/exports.py [--sizes 100000,1000000] [--runs 2]
                                      [--cache-dir /tmp/kvkk-bench-exports] [--reseed]

Seeding works like bench/sweep.py: the database is migrated to the Alembic head, then filled
with plain `sqlite3` executemany (about 10 s per million rows) and kept under --cache-dir for
the next run. The applications are varied the way the export sees them: T.C. and passport
numbers, every status, most assigned to one of 8 officers, about half replied and closed,
received over 2025-2026 (so every Istanbul hour appears).

Each timed run is a fresh child process that does what `kvkk-tracker export applications
--format F --out FILE` does (exports.files.write_export, masked, with the COUNT that feeds the
CLI's progress bar) and reports the rows written, the wall and CPU time of the export, and its
own peak RSS (ru_maxrss, which includes the Python interpreter and the app: ~108 MB before
the export starts), with a CPU speed check (sum(range(3e7)), 0.5-1.1 s seen on this VM) taken
just before.

Targets: CSV >= 150,000 rows/s and XLSX >= 25,000 rows/s, peak RSS <= 200 MB at any size.

`--openpyxl-rows N` also times openpyxl's write-only mode over the first N rows of the same
export (the same query and converters, serial dates as numbers): the reference for why the XLSX
writer is our own (docs/benchmarks.md, "Exports").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvkk_tracker import create_app  # noqa: E402
from kvkk_tracker.domain.calendar import HolidayCalendar  # noqa: E402
from kvkk_tracker.domain.deadlines import compute_deadline  # noqa: E402
from kvkk_tracker.extensions import db  # noqa: E402

TARGETS = {"csv": 150_000, "xlsx": 25_000}
TARGET_RSS_MB = 200
OFFICERS = 8
STATUSES = ("received", "in_review", "awaiting_applicant", "decided", "replied", "closed",
            "withdrawn")


def make_app(db_path: Path, instance: Path):
    return create_app({
        "KVKK_ENV": "testing", "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SCHEDULER_ENABLED": False,
    })


def stamp(moment: datetime) -> str:
    """Format as SQLAlchemy stores a DateTime on SQLite (UTC, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def seed(db_path: Path, size: int, workdir: Path) -> dict:
    started = time.perf_counter()
    from flask_migrate import upgrade

    with make_app(db_path, workdir / "instance-seed").app_context():
        upgrade()
        db.engine.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    created = stamp(datetime(2025, 1, 1, tzinfo=UTC))
    conn.executemany(
        "INSERT INTO users (email, name, role, password_hash, active, totp_enabled, "
        "failed_logins, session_token, created_at) VALUES (?, ?, 'officer', 'x', 1, 0, 0, ?, ?)",
        [(f"memur{i}@bench.kvkk.test", f"Memur Çağlayan {i}", f"token{i}", created)
         for i in range(OFFICERS)])
    officers = [row[0] for row in conn.execute("SELECT id FROM users ORDER BY id")]
    rng = random.Random(6698)  # noqa: S311 (reproducible data)
    calendar = HolidayCalendar()
    deadlines: dict = {}
    first = datetime(2025, 1, 1, tzinfo=UTC)
    span = 2 * 365 * 24 * 60

    def row(number: int) -> tuple:
        received = first + timedelta(minutes=rng.randrange(span))
        day = received.date()
        if day not in deadlines:
            d = compute_deadline(received, calendar)
            basis = json.dumps({"policy": d.policy.to_dict(),
                                "reasons": [r.to_dict() for r in d.reasons]})
            deadlines[day] = (d.statutory_due.isoformat(), d.outer_due.isoformat(),
                              d.cutoff.strftime("%H:%M"), basis)
        due, outer, cutoff, basis = deadlines[day]
        status = STATUSES[number % len(STATUSES)]
        done = status in ("replied", "closed")
        replied = stamp(received + timedelta(days=rng.randrange(35))) if done else None
        turkish = number % 10 != 0
        return (f"KVKK-{received.year}-{number:09d}", "0" * 64, status, "web", "tr",
                stamp(received), due, outer, cutoff, basis, "Işıl", "Çağlayan",
                "ışıl çağlayan", "TR" if turkish else "DE",
                f"{10_000_000_000 + number * 37}" if turkish else None,
                None if turkish else f"C0{number:07d}",
                "Çankaya/Ankara", f"kisi{number}@example.com.tr", "customer",
                "=HYPERLINK(\"x\")", "email", stamp(received), 1,
                officers[number % OFFICERS] if number % 5 else None,
                "verified" if done else "pending", "kep" if done else None,
                replied, replied if status == "closed" else None)

    columns = ("tracking_no, access_code_hash, status, channel, language, received_at, "
               "statutory_due, outer_due, cutoff, deadline_basis, first_name, last_name, "
               "name_folded, nationality, tckn, passport_no, address, email, "
               "relationship_to_controller, subject, reply_channel, created_at, version, "
               "assignee_id, identity_status, identity_method, replied_at, closed_at")
    sql = f"INSERT INTO applications ({columns}) VALUES ({', '.join('?' * 28)})"  # noqa: S608 (constants)
    for start in range(0, size, 50_000):
        conn.executemany(sql, [row(n) for n in range(start, min(size, start + 50_000))])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"size": size, "seeded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1),
            "bytes": db_path.stat().st_size}


def prepare(size: int, cache: Path, reseed: bool, workdir: Path) -> tuple[Path, dict]:
    db_path = cache / f"exports-{size}-v2.db"  # v2: a distinct T.C. number per applicant
    meta_path = db_path.with_suffix(".json")
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    if db_path.exists() and meta_path.exists() and not reseed:
        meta = json.loads(meta_path.read_text())
        if meta.get("head") == head:
            return db_path, meta | {"reused": True}
    db_path.unlink(missing_ok=True)
    print(f"seeding {size:,} applications into {db_path} ...", file=sys.stderr, flush=True)
    meta = seed(db_path, size, workdir) | {"head": head}
    meta_path.write_text(json.dumps(meta))
    return db_path, meta | {"reused": False}


def measure(db_path: Path, fmt: str, out: Path) -> dict:
    """In a fresh child process: one masked export to a file, as the CLI does it."""
    from kvkk_tracker.exports import ExportRequest, count_rows
    from kvkk_tracker.exports.files import publish, write_export
    from kvkk_tracker.services.actors import Actor

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(db_path, Path(tmp))
        with app.app_context():
            request = ExportRequest("applications", fmt)
            speed = calibrate()
            started, cpu = time.perf_counter(), time.process_time()
            total = count_rows(db.session, request)
            counted = time.perf_counter() - started
            part, rows = write_export(db.session, request, out, actor=Actor("system", "bench"),
                                      now=datetime.now(UTC), total=total)
            db.session.rollback()  # leave the cached database as it was
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            publish(part, out)
            db.session.remove()
            db.engine.dispose()
    return {"rows": rows, "total": total, "seconds": seconds, "count_seconds": counted,
            "cpu": cpu, "bytes": out.stat().st_size, "speed": speed,
            "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def measure_openpyxl(db_path: Path, rows: int, out: Path) -> dict:
    """In a fresh child process: the export's first `rows` rows through openpyxl write-only."""
    import openpyxl

    from kvkk_tracker.exports import ExportRequest, open_table
    from kvkk_tracker.exports.values import serial_converter

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(db_path, Path(tmp))
        with app.app_context():
            table = open_table(db.session, ExportRequest("applications", "xlsx"))
            book = openpyxl.Workbook(write_only=True)
            sheet = book.create_sheet(table.export.title("tr"))
            sheet.append(table.headers())
            started, cpu = time.perf_counter(), time.process_time()
            written = 0
            for batch in table.rows(table.converters(
                    lambda kind: serial_converter(kind, table.dialect))):
                for row in batch[:rows - written]:
                    sheet.append(row)
                written += min(len(batch), rows - written)
                if written >= rows:
                    break
            table.close()
            book.save(out)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            db.session.remove()
            db.engine.dispose()
    return {"rows": written, "seconds": seconds, "cpu": cpu, "bytes": out.stat().st_size}


def calibrate() -> float:
    """This VM's CPU speed right now (it varies ~2x with the other tenants' load)."""
    started = time.process_time()
    sum(range(30_000_000))
    return time.process_time() - started


def child(db_path: Path, fmt: str, workdir: Path) -> dict:
    out = workdir / f"applications.{fmt}"
    try:
        result = subprocess.run([sys.executable, __file__, "--measure", str(db_path), fmt,
                                 str(out)], check=True, capture_output=True, text=True)
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        out.unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--cache-dir",
                        default=str(Path(tempfile.gettempdir()) / "kvkk-bench-exports"))
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--openpyxl-rows", type=int, default=0)
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--measure-openpyxl", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_openpyxl:
        db_path, rows, out = args.measure_openpyxl
        print(json.dumps(measure_openpyxl(Path(db_path), int(rows), Path(out))))
        return 0
    if args.measure:
        db_path, fmt, out = args.measure
        print(json.dumps(measure(Path(db_path), fmt, Path(out))))
        return 0

    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    print(f"bench/exports.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}")
    failed = False
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        workdir = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            db_path, meta = prepare(size, cache, args.reseed, workdir)
            how = "reused" if meta["reused"] else "seeded"
            print(f"\n{size:,} applications: {how} {db_path} ({meta['bytes'] / 1e6:.0f} MB, "
                  f"seeded {meta['seeded_at']} in {meta['seconds']} s)")
            for fmt in args.formats.split(","):
                runs = []
                for _ in range(args.runs):
                    load = os.getloadavg()[0]
                    runs.append(child(db_path, fmt, workdir) | {"load": load})
                assert all(r["rows"] == size == r["total"] for r in runs), runs
                rates = [r["rows"] / r["seconds"] for r in runs]
                rss = max(r["maxrss_kb"] for r in runs) / 1024
                print(f"  {fmt}: " + ", ".join(
                    f"{r['rows'] / r['seconds']:,.0f} rows/s ({r['seconds']:.2f} s; CPU "
                    f"{r['cpu']:.2f} s = {r['rows'] / r['cpu']:,.0f} rows per CPU-second; "
                    f"COUNT {r['count_seconds']:.2f} s; {r['bytes'] / 1e6:.0f} MB; load "
                    f"{r['load']:.2f}; CPU check {r['speed']:.2f} s)" for r in runs))
                print(f"    best {max(rates):,.0f} rows/s, median {statistics.median(rates):,.0f}"
                      f" (target >= {TARGETS[fmt]:,}); peak RSS {rss:.0f} MB "
                      f"(target <= {TARGET_RSS_MB})")
                failed |= statistics.median(rates) < TARGETS[fmt] or rss > TARGET_RSS_MB
            if args.openpyxl_rows:
                out = workdir / "openpyxl.xlsx"
                result = subprocess.run(
                    [sys.executable, __file__, "--measure-openpyxl", str(db_path),
                     str(min(args.openpyxl_rows, size)), str(out)],
                    check=True, capture_output=True, text=True)
                r = json.loads(result.stdout.strip().splitlines()[-1])
                out.unlink(missing_ok=True)
                print(f"  for reference, openpyxl write-only: {r['rows'] / r['seconds']:,.0f} "
                      f"rows/s ({r['rows']:,} rows in {r['seconds']:.2f} s; CPU {r['cpu']:.2f} s;"
                      f" load {os.getloadavg()[0]:.2f})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
