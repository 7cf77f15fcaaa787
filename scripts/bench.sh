#!/usr/bin/env bash
# What `npm run bench` runs: set-up, then the benchmarks under bench/ (all, or the ones named:
# `npm run bench -- control-plane`). Each prints its figures beside its targets and baselines.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup
shopt -s nullglob
names=("$@")
if ((${#names[@]} == 0)); then
  for f in bench/*.ts; do names+=("$(basename "$f" .ts)"); done
fi
# Benchmarks run clusters: they wait for integration tests (and each other) like npm test does.
for name in "${names[@]}"; do
  [[ -f "bench/$name.ts" ]] || die "no benchmark bench/$name.ts"
  log "benchmark $name"
  flock "$INTEGRATION_LOCK" node "dist/bench/$name.js"
done
