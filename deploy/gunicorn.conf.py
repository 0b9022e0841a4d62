"""Gunicorn settings for kvkk-tracker's web workers.

    gunicorn -c deploy/gunicorn.conf.py "kvkk_tracker:create_app()"

Every value can be changed from the environment (the names below), so the systemd unit in
deploy/ and a container use the same file. What each choice is for:

- Sync workers, one request at a time each: the app is CPU-bound (forms, Jinja, argon2 at
  sign-in) and talks to one database; more processes, not threads, use more cores. The
  measured intake figures behind WEB_CONCURRENCY are in docs/benchmarks.md ("Production").
- The scheduler never runs in a web worker: APScheduler would start in every forked worker and
  each would sweep. `kvkk-tracker scheduler` is the one scheduler process (its own unit).
- Rate limits are per worker unless RATELIMIT_STORAGE_URI points at Redis: set it whenever
  there is more than one worker (or more than one host).
- Behind nginx on the same host, bind to 127.0.0.1 and set KVKK_PROXY_COUNT=1 so that the
  client's address and https come from X-Forwarded-For / X-Forwarded-Proto. The app (Werkzeug's
  ProxyFix) is the one place that decides whether to believe those headers; gunicorn's own
  scheme detection is switched off below, since it would believe any local caller.
"""

import multiprocessing
import os

# Where to listen: a loopback port (reverse proxy on the same host) or a unix socket
# ("unix:/run/kvkk-tracker/gunicorn.sock").
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# 2 x cores + 1 is gunicorn's rule of thumb for sync workers; each holds at most one database
# connection from its pool at a time, so keep workers x hosts below PostgreSQL's
# max_connections (100 by default) minus the scheduler and maintenance connections.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request that takes longer is killed and logged (a 10-page reply letter renders in about
# a second; uploads are bounded by MAX_CONTENT_LENGTH).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so that a slow leak in any library cannot grow without bound;
# the jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# Logs go to journald through stdout/stderr. The access log has no query strings: the status
# page takes none, but a mistyped link could carry a tracking number. %(p)s is the worker's
# pid (which worker answered).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %(p)s'

# Only the app's ProxyFix (KVKK_PROXY_COUNT) turns X-Forwarded-Proto into https.
secure_scheme_headers = {}

# Never run the scheduler in a web worker, whatever the environment says (see above).
raw_env = ["SCHEDULER_ENABLED=false"]
os.environ["SCHEDULER_ENABLED"] = "false"

# Workers touch a heartbeat file every few seconds; on a disk-backed /tmp a slow disk can make
# the master think they hang. /dev/shm is memory (gunicorn's own advice); only gunicorn writes
# there, the app's uploads go to KVKK_UPLOAD_DIR.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # noqa: S108

# Gunicorn's control socket (gunicornc) defaults to one path per user, which two instances on
# a host (or the test suite's servers) would fight over: off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
