#!/usr/bin/env bash
# Installs the client libraries the integration tests drive the API with, as users would: Debian's
# python3-kubernetes (the official Python client) and ruby-kubeclient (Ruby's, which watches through
# the legacy /watch/ paths). Silent when both are there; test.sh runs it after the set-up.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly APT_LOG=/var/log/kctl-apt.log
readonly LOCK_FILE=/run/lock/kctl-ensure-test-clients.lock
export DEBIAN_FRONTEND=noninteractive

package_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

main() {
  exec 9>"$LOCK_FILE"
  flock 9
  local missing=() package
  for package in python3-kubernetes ruby-kubeclient; do
    package_installed "$package" || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]} from Debian's packages (apt-get log: $APT_LOG)"
  { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >>"$APT_LOG" 2>&1 ||
    { tail -n 20 "$APT_LOG" >&2; die "apt-get install ${missing[*]} failed; see $APT_LOG"; }
}

main "$@"
