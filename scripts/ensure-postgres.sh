#!/usr/bin/env bash
# Start the local PostgreSQL cluster if it is installed but not running (containers do not
# start it by themselves). Never fails: the PostgreSQL test pass decides what a missing server means.
pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && exit 0
command -v pg_ctlcluster >/dev/null 2>&1 || exit 0
ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
[ -n "$ver" ] || exit 0
pg_ctlcluster --skip-systemctl-redirect "$ver" main start >/dev/null 2>&1 || true
for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 0.5; done
exit 0
