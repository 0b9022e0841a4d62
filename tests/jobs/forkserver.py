"""A pre-loaded parent that forks one child per command, for the SIGKILL test.

Starting the `kvkk-tracker` console script costs 1.5-3 s of interpreter and import time on
this machine; twenty kill rounds would spend a minute on start-ups alone. This parent imports
and configures the app once (from the environment, as the console script does), then for
each line on stdin forks a fresh child process that runs the real command through the app's
CLI (e.g. `sweep --now ... --batch-size 1`) on its own database connections. The test kills
that child with SIGKILL. Protocol on stdout: the child prints `child <pid>` first, then the
command's own output; the parent prints `exit <status>` when the child is gone.
"""

from __future__ import annotations

import os
import shlex
import sys

from kvkk_tracker import create_app
from kvkk_tracker.extensions import db


def main() -> None:
    app = create_app()
    for line in sys.stdin:
        args = shlex.split(line)
        if not args:
            continue
        pid = os.fork()
        if pid == 0:  # the child: a separate process with its own connections
            status = 1
            try:
                print(f"child {os.getpid()}", flush=True)
                with app.app_context():
                    db.engine.dispose(close=False)  # never share the parent's connections
                    app.cli.main(args=args, prog_name="kvkk-tracker", standalone_mode=False)
                status = 0
            finally:
                sys.stdout.flush()
                os._exit(status)
        _pid, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    main()
