#!/usr/bin/env bash
# Seeds, into the local Docker engine, the base images that tracedock's Dockerfiles and
# end-to-end tests use, when they are missing and cannot be pulled (these CI machines reach no
# container registry — ../shared/ENVIRONMENT.md):
#   node:24-bookworm-slim   a stand-in with Node 24, npm 11, busybox as /bin/sh, users root and node
#   tracedock/busybox:local busybox only, for idle or CPU-burning test containers
# Elsewhere (a user's machine), Docker pulls the real node image and this script is not needed.
# Idempotent: an image that exists is left alone. Usage: scripts/seed-images.sh [--force]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
docker_cli=/usr/bin/docker
node_image=node:24-bookworm-slim
busybox_image=tracedock/busybox:local
force="${1:-}"

# The label marks the stand-in's recipe; an older stand-in (or none) is rebuilt, a real image kept.
seed_recipe=2
have() {
  [ "$force" != "--force" ] || return 1
  local recipe
  recipe="$("$docker_cli" image inspect -f '{{ index .Config.Labels "tracedock.seed" }}' "$1" 2>/dev/null)" || return 1
  [ -z "$recipe" ] || [ "$recipe" = "<no value>" ] || [ "$recipe" = "$seed_recipe" ]
}
log() { printf '[seed-images] %s\n' "$*" >&2; }

[ -x /bin/busybox ] || { log "/bin/busybox missing: apt-get install busybox-static"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

busybox_root() {
  local dir="$1"
  mkdir -p "$dir/bin" "$dir/usr/bin" "$dir/tmp" "$dir/etc" "$dir/root"
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for tool in sh ls cat echo sleep env yes dd head tail grep sed wc ps kill mkdir rm cp mv true false date id uname hostname top free; do
    ln -sf busybox "$dir/bin/$tool"
  done
  ln -sf ../../bin/busybox "$dir/usr/bin/env"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$dir/etc/group"
  mkdir -p "$dir/home/node" && chown 1000:1000 "$dir/home/node"
}

if ! have "$busybox_image"; then
  log "building $busybox_image"
  busybox_root "$work/busybox"
  tar -C "$work/busybox" -c . | "$docker_cli" import -c 'ENV PATH=/bin:/usr/bin' -c 'CMD ["/bin/sh"]' - "$busybox_image" >/dev/null
fi

if ! have "$node_image"; then
  node_bin="$root/.tools/node/bin/node"
  if [ ! -x "$node_bin" ] || ! "$node_bin" --version | grep -q '^v24\.'; then
    TRACEDOCK_SETUP=node bash "$root/scripts/setup-dev.sh"
  fi
  log "building a local stand-in for $node_image from $("$node_bin" --version)"
  r="$work/node"
  busybox_root "$r"
  mkdir -p "$r/usr/local/bin" "$r/usr/local/lib/node_modules" "$r/etc/ssl/certs"
  cp "$node_bin" "$r/usr/local/bin/node"
  # Every shared library node links against, at the same path (glibc, libstdc++, ...).
  # librt is not linked by node but dlopen'd by native addons such as the UI bundler's (rolldown);
  # the real Debian image has it too.
  { ldd "$node_bin" | grep -o '/[^ ]*'; ls /lib/x86_64-linux-gnu/librt.so.1 2>/dev/null; } | sort -u | while read -r lib; do
    mkdir -p "$r$(dirname "$lib")"
    cp -L "$lib" "$r$lib"
  done
  (cd "$work" && npm pack --silent npm@11 >/dev/null && mkdir npm && tar xzf npm-*.tgz -C npm)
  mv "$work/npm/package" "$r/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/local/bin/npx"
  cafile="$(npm config get cafile 2>/dev/null || true)"
  [ -f "$cafile" ] || cafile=/etc/ssl/certs/ca-certificates.crt
  cp "$cafile" "$r/etc/ssl/certs/ca-certificates.crt"
  tar -C "$r" -c . | "$docker_cli" import \
    -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    -c 'ENV NODE_VERSION=24' \
    -c "LABEL tracedock.seed=$seed_recipe" \
    -c 'CMD ["node"]' - "$node_image" >/dev/null
fi
log "ready: $node_image, $busybox_image"
