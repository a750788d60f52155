#!/usr/bin/env bash
# Starts or stops the Docker engine that tracedock's end-to-end tests use.
#   scripts/dockerd.sh start   # reuses a daemon that already answers, else starts one
#   scripts/dockerd.sh stop    # stops only the daemon this script started (by its PID)
# The daemon runs with --bridge=none --iptables=false: these machines allow host networking
# only (../shared/ENVIRONMENT.md), so containers use `--network host`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pidfile="$root/.tools/dockerd.pid"
logfile="$root/.tools/dockerd.log"
docker_cli=/usr/bin/docker
start_timeout_seconds=60

answers() { "$docker_cli" version >/dev/null 2>&1; }

case "${1:-}" in
  start)
    mkdir -p "$root/.tools"
    if answers; then echo "[dockerd] engine already answers; reusing it" >&2; exit 0; fi
    if [ ! -x /usr/sbin/dockerd ]; then
      echo "[dockerd] /usr/sbin/dockerd missing: run scripts/setup-dev.sh (apt step) first" >&2; exit 1
    fi
    setsid /usr/sbin/dockerd --bridge=none --iptables=false >"$logfile" 2>&1 < /dev/null &
    echo $! >"$pidfile"
    for _ in $(seq 1 "$start_timeout_seconds"); do
      if answers; then echo "[dockerd] started (pid $(cat "$pidfile"))" >&2; exit 0; fi
      sleep 1
    done
    echo "[dockerd] did not answer within ${start_timeout_seconds}s; log:" >&2
    tail -20 "$logfile" >&2
    exit 1
    ;;
  stop)
    [ -f "$pidfile" ] || exit 0
    pid="$(cat "$pidfile")"
    rm -f "$pidfile"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "[dockerd] stopped (pid $pid)" >&2
    fi
    ;;
  *) echo "usage: scripts/dockerd.sh start|stop" >&2; exit 2 ;;
esac
