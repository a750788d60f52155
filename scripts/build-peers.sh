#!/usr/bin/env bash
# Builds the peer collectors that bench/peers.mjs and bench/telemetrygen.mjs measure tracedock
# against, and telemetrygen (the OpenTelemetry Collector's own load generator, Go SDK), from their
# published Go modules (the Go module proxy is the only source reachable here), into
# .tools/peers/ (ignored by git). Idempotent: a peer whose binary was built from the same
# version and manifest is skipped.
#   scripts/build-peers.sh                 # all three
#   scripts/build-peers.sh otelcol         # one of: otelcol jaeger telemetrygen
# A failed build leaves its command and the go tool's output in .tools/peers/<name>.build-error.txt
# and does not stop the other build; the script exits 0 either way (peers.mjs reports the failure).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/.tools/peers"
gobin="$peers/bin"
otelcol_version=0.165.0
jaeger_version=1.76.0
telemetrygen_version=0.161.0
manifest="$root/bench/peers/otelcol-builder.yaml"
targets="${*:-otelcol jaeger telemetrygen}"
mkdir -p "$gobin"

log() { printf '[build-peers] %s\n' "$*" >&2; }

# The stamp names what a binary was built from; a different stamp means build again.
stamp_ok() { [ -x "$peers/$1" ] && [ -f "$peers/$1.stamp" ] && [ "$(cat "$peers/$1.stamp")" = "$2" ]; }

# run NAME LOGFILE CMD...: runs CMD, appending its output to LOGFILE; on failure writes
# NAME.build-error.txt with the command and the tail of its output.
run() {
  local name="$1" logfile="$2"; shift 2
  printf '$ %s\n' "$*" >>"$logfile"
  if "$@" >>"$logfile" 2>&1; then return 0; fi
  {
    printf 'build of %s failed at %s\ncommand: %s\n(go %s; full log: %s)\n\n' \
      "$name" "$(date -u +%FT%TZ)" "$*" "$(go env GOVERSION 2>/dev/null)" "$logfile"
    tail -n 60 "$logfile"
  } >"$peers/$name.build-error.txt"
  log "$name: FAILED, see $peers/$name.build-error.txt"
  return 1
}

build_otelcol() {
  local name=otelcol-bench stamp
  stamp="builder v$otelcol_version $(sha256sum "$manifest" | cut -c1-16)"
  if stamp_ok "$name" "$stamp"; then log "$name: up to date"; return 0; fi
  local logfile="$peers/$name.build.log" started=$SECONDS
  : >"$logfile"
  log "$name: go install builder@v$otelcol_version, then build (a few minutes on 2 cores)"
  run "$name" "$logfile" env GOBIN="$gobin" go install "go.opentelemetry.io/collector/cmd/builder@v$otelcol_version" || return 0
  # The manifest's output_path is relative to the repository root.
  (cd "$root" && run "$name" "$logfile" "$gobin/builder" --config "$manifest" --ldflags='-s -w') || return 0
  cp "$peers/otelcol-build/$name" "$peers/$name.tmp" && mv "$peers/$name.tmp" "$peers/$name"
  echo "$stamp" >"$peers/$name.stamp"
  rm -f "$peers/$name.build-error.txt"
  log "$name: built in $((SECONDS - started)) s"
}

build_jaeger() {
  local name=jaeger stamp="jaeger v$jaeger_version"
  if stamp_ok "$name" "$stamp"; then log "$name: up to date"; return 0; fi
  local logfile="$peers/$name.build.log" started=$SECONDS mod="github.com/jaegertracing/jaeger"
  local dir="$peers/jaeger-build"
  : >"$logfile"
  # `go install .../cmd/jaeger@v$jaeger_version` refuses the module: its go.mod has a replace
  # directive (github.com/Shopify/sarama). So: a throwaway module that requires Jaeger as a
  # tool, carries the same replace lines (copied from Jaeger's own go.mod), and builds it.
  log "$name: $mod/cmd/jaeger@v$jaeger_version through a tool module (several minutes on 2 cores)"
  rm -rf "$dir" && mkdir -p "$dir"
  run "$name" "$logfile" go mod download "$mod@v$jaeger_version" || return 0
  local upstream; upstream="$(go mod download -json "$mod@v$jaeger_version" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
  (cd "$dir" && run "$name" "$logfile" go mod init tracedock.local/bench-peer-jaeger) || return 0
  # Single-line replace directives and replace blocks, as Jaeger's go.mod writes them.
  awk '/^replace \(/{b=1;print;next} b&&/^\)/{b=0;print;next} b||/^replace /{print}' "$upstream" >>"$dir/go.mod"
  (cd "$dir" && run "$name" "$logfile" go get -tool "$mod/cmd/jaeger@v$jaeger_version") || return 0
  (cd "$dir" && run "$name" "$logfile" go build -ldflags='-s -w' -o "$peers/$name.tmp" "$mod/cmd/jaeger") || return 0
  mv "$peers/$name.tmp" "$peers/$name"
  echo "$stamp" >"$peers/$name.stamp"
  rm -f "$peers/$name.build-error.txt"
  log "$name: built in $((SECONDS - started)) s"
}

build_telemetrygen() {
  local name=telemetrygen stamp="telemetrygen v$telemetrygen_version"
  if stamp_ok "$name" "$stamp"; then log "$name: up to date"; return 0; fi
  local logfile="$peers/$name.build.log" started=$SECONDS
  : >"$logfile"
  log "$name: go install .../cmd/telemetrygen@v$telemetrygen_version (about a minute on 2 cores)"
  run "$name" "$logfile" env GOBIN="$gobin" go install -ldflags='-s -w' \
    "github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen@v$telemetrygen_version" || return 0
  cp "$gobin/$name" "$peers/$name.tmp" && mv "$peers/$name.tmp" "$peers/$name"
  echo "$stamp" >"$peers/$name.stamp"
  rm -f "$peers/$name.build-error.txt"
  log "$name: built in $((SECONDS - started)) s"
}

# The machines' Go is in /usr/local/go/bin; a non-login shell may not have it on PATH.
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null; then
  for t in $targets; do
    name="$t"; [ "$t" = otelcol ] && name=otelcol-bench
    echo "go not found on PATH (needed to build $t from its Go modules)" >"$peers/$name.build-error.txt"
  done
  log "go not found on PATH"; exit 0
fi

for t in $targets; do
  case "$t" in
    otelcol) build_otelcol ;;
    jaeger) build_jaeger ;;
    telemetrygen) build_telemetrygen ;;
    *) log "unknown peer $t (otelcol, jaeger, telemetrygen)"; exit 2 ;;
  esac
done
exit 0
