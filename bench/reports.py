"""Time the reports page's figures (services/reports.period_report) on SQLite.

    .venv/bin/python bench/reports.py [--sizes 100000,1000000] [--runs 3]
                                      [--cache-dir /tmp/kvkk-bench-exports]

The databases are bench/exports.py's (seeded once there, reused here: applications received
over 2025-2026, about half replied). Each run copies nothing and writes nothing: it builds the
report of the year 2025, of its last quarter and of one month, in this process, and prints the
wall and CPU time of each and the process's peak RSS, with the load average beside them.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvkk_tracker.domain.reporting import Period  # noqa: E402
from kvkk_tracker.extensions import db  # noqa: E402
from kvkk_tracker.services.reports import period_report  # noqa: E402

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PERIODS = {"year 2025": Period.year(2025), "Q4 2025": Period.quarter(2025, 4),
           "month 12.2025": Period.month(2025, 12)}


def exports_bench():
    spec = importlib.util.spec_from_file_location("bench_exports", ROOT / "bench" / "exports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "kvkk-bench-exports")
    args = parser.parse_args()
    seeder = exports_bench()
    with tempfile.TemporaryDirectory() as work:
        for size in (int(s) for s in args.sizes.split(",")):
            db_path, _meta = seeder.prepare(size, args.cache_dir, False, Path(work))
            app = seeder.make_app(db_path, Path(work) / "instance")
            with app.app_context():
                for name, period in PERIODS.items():
                    for run in range(args.runs):
                        wall, cpu = time.perf_counter(), time.process_time()
                        figures = period_report(db.session, period, NOW)
                        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                        db.session.rollback()
                        print(f"{size:>9,} rows  {name:<14} run {run + 1}: "
                              f"{figures.report.total.received:>7,} cases  wall {wall:6.2f} s  "
                              f"cpu {cpu:6.2f} s  load {os.getloadavg()[0]:.2f}", flush=True)
                db.engine.dispose()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
