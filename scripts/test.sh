#!/usr/bin/env bash
# What `npm test` runs: set-up (dependencies, build, Docker engine), then every test with
# Node's runner, one file at a time: all unit tests, then all integration tests.
# Usage: npm test [-- unit|integration ...]   (default: both groups)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ALL_GROUPS=(unit integration)


# The built test files of one group, listed from the sources rather than from dist/,
# where the build of a deleted test lingers.
group_test_files() {
  local source_file
  for source_file in test/"$1"/**/*.test.ts; do
    printf '%s\n' "dist/${source_file%.ts}.js"
  done
}

# One count ("pass", "fail", ...) from the closing summary of a TAP report.
tap_count() {
  local count
  count=$(sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$2" | tail -n 1)
  echo "${count:-0}"
}

main() {
  local groups=("$@")
  ((${#groups[@]} > 0)) || groups=("${ALL_GROUPS[@]}")
  local group
  for group in "${groups[@]}"; do
    [[ " ${ALL_GROUPS[*]} " == *" $group "* ]] ||
      die "unknown test group '$group' (expected one of: ${ALL_GROUPS[*]})"
  done

  setup
  bash "$KCTL_ROOT/scripts/ensure-test-clients.sh"
  shopt -s globstar nullglob

  # Global, not local: the EXIT trap runs after main has returned.
  tap_report=$(mktemp)
  trap 'rm -f "$tap_report"' EXIT

  local status=0 files=0 passed=0 failed=0 skipped=0 group_files
  for group in "${groups[@]}"; do
    mapfile -t group_files < <(group_test_files "$group")
    if ((${#group_files[@]} == 0)); then
      log "no $group tests (test/$group/**/*.test.ts)"
      continue
    fi
    files=$((files + ${#group_files[@]}))
    log "running $group tests"
    local lock=()
    [[ $group == integration ]] && lock=(flock "$INTEGRATION_LOCK")
    # Node sorts the files it is given, so each group needs its own run to keep unit tests first;
    # the TAP copy of each run's results is added up into one total below.
    "${lock[@]}" node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap_report" \
      "${group_files[@]}" || status=1
    passed=$((passed + $(tap_count pass "$tap_report")))
    failed=$((failed + $(tap_count fail "$tap_report") + $(tap_count cancelled "$tap_report")))
    skipped=$((skipped + $(tap_count skipped "$tap_report")))
  done
  ((files > 0)) || die "no test files for: ${groups[*]}"

  printf '\ntests: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  return "$status"
}

main "$@"
