#!/usr/bin/env bash
# The browser suite: builds the ostoja binary, installs the locked npm packages, runs every journey in
# Debian's headless Chromium. Fails when Chromium is missing: browser tests are never skipped silently.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
chromium="${OSTOJA_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "Chromium is missing at $chromium: install Debian's chromium and chromium-driver (scripts/test does as root)" >&2
  exit 1
fi
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are missing" >&2; exit 1; }

cd "$root"
cargo build -p ostoja --quiet
target_dir="$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
export OSTOJA_BIN="$target_dir/debug/ostoja"

cd "$here"
npm ci --no-audit --no-fund --loglevel=error
# Two files at a time: the machine has two cores, and each file runs its own server and browser.
exec node --test --test-concurrency=2 journeys/
