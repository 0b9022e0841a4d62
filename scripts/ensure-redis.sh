#!/usr/bin/env bash
# Start a local Redis on 127.0.0.1:6379 if it is installed but not running (containers do not
# start it by themselves). Nothing kept on disk: the tests only count rate-limit hits in it.
# Never fails: the Redis tests decide what a missing server means (REQUIRE_REDIS=1).
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0
command -v redis-server >/dev/null 2>&1 || exit 0
mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/kvkk-tests.log >/dev/null 2>&1 || exit 0
for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 0.25; done
exit 0
