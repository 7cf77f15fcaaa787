#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock and that Debian's busybox-static
# (and the service proxy's iptables, iproute2 and conntrack) is installed (kctl builds its images FROM scratch out of /bin/busybox: no registry is reachable),
# with the cluster registry's docker-registry and htpasswd (apache2-utils) and the example images' debootstrap.
# Installs Debian's docker.io and starts dockerd when needed; silent when all is already there.
#
# Environment: KCTL_DOCKERD_LOG (default /var/log/kctl-dockerd.log),
#              KCTL_DOCKERD_TIMEOUT seconds to wait for the engine (default 60).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly DOCKER_SOCKET=/var/run/docker.sock
readonly DOCKERD_LOG=${KCTL_DOCKERD_LOG:-/var/log/kctl-dockerd.log}
readonly DOCKERD_TIMEOUT=${KCTL_DOCKERD_TIMEOUT:-60}
readonly DOCKERD_PIDFILE=/var/run/docker.pid
readonly APT_LOG=/var/log/kctl-apt.log
readonly LOCK_FILE=/run/lock/kctl-ensure-docker.lock

# The node agents talk to this socket, so that is the engine to check, whatever DOCKER_HOST says.
export DOCKER_HOST=unix://$DOCKER_SOCKET
export DEBIAN_FRONTEND=noninteractive

engine_answers() { docker info >/dev/null 2>&1; }

package_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

install_packages() {
  log "installing $* from Debian's packages (apt-get log: $APT_LOG)"
  { apt-get update && apt-get install -y --no-install-recommends "$@"; } >>"$APT_LOG" 2>&1 ||
    { tail -n 20 "$APT_LOG" >&2; die "apt-get install $* failed; see $APT_LOG"; }
}

# A dockerd killed without cleaning up (machine restarted, process group ended) leaves its pid
# file behind (/run is not a tmpfs here), and a new dockerd refuses to start while it exists.
# After a restart the pid may belong to another program, hence the check of its name.
remove_stale_pidfile() {
  [[ -f $DOCKERD_PIDFILE ]] || return 0
  local pid
  pid=$(<"$DOCKERD_PIDFILE")
  if [[ $(cat "/proc/$pid/comm" 2>/dev/null) != dockerd ]]; then
    rm -f "$DOCKERD_PIDFILE"
  fi
}

start_dockerd() {
  if [[ -d /run/systemd/system ]]; then
    systemctl start docker || die "systemctl start docker failed; see journalctl -u docker"
    return
  fi
  remove_stale_pidfile
  log "starting dockerd (log: $DOCKERD_LOG)"
  # setsid: the engine must outlive this script and whatever process group started it;
  # 9>&-: an engine that inherited the lock would hold it for as long as it runs.
  setsid dockerd --host="unix://$DOCKER_SOCKET" --pidfile="$DOCKERD_PIDFILE" \
    </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
  dockerd_pid=$!
}

engine_failed() {
  tail -n 20 "$DOCKERD_LOG" >&2 || true
  die "$1; see $DOCKERD_LOG"
}

wait_for_engine() {
  local deadline=$((SECONDS + DOCKERD_TIMEOUT))
  until engine_answers; do
    if [[ -n ${dockerd_pid:-} ]] && ! kill -0 "$dockerd_pid" 2>/dev/null; then
      engine_failed "dockerd exited before answering on $DOCKER_SOCKET"
    fi
    ((SECONDS < deadline)) ||
      engine_failed "the Docker engine did not answer on $DOCKER_SOCKET within ${DOCKERD_TIMEOUT}s"
    sleep 0.2
  done
}

main() {
  # test.sh and quickstart.sh may run at once: one of them installs and starts, the other waits.
  exec 9>"$LOCK_FILE"
  flock 9

  local missing=()
  package_installed busybox-static || missing+=(busybox-static)
  # The API server's TLS certificate is made with openssl at `kctl cluster up`.
  command -v openssl >/dev/null || missing+=(openssl)
  # The service proxy writes iptables rules and routes the service range to the pod bridge.
  command -v iptables-restore >/dev/null || missing+=(iptables)
  command -v ip >/dev/null || missing+=(iproute2)
  # ... and deletes UDP flows whose endpoint went away.
  command -v conntrack >/dev/null || missing+=(conntrack)
  # `cluster up --registry` runs Debian's registry (CNCF distribution) with a bcrypt htpasswd file,
  # and `kctl images prepare --examples` builds its base image with debootstrap.
  package_installed docker-registry || missing+=(docker-registry)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if ! engine_answers; then
    command -v dockerd >/dev/null && command -v docker >/dev/null || missing+=(docker.io)
  fi
  ((${#missing[@]} == 0)) || install_packages "${missing[@]}"
  # Under systemd the package starts a registry of its own on :5000, the port kctl's takes.
  if [[ " ${missing[*]} " == *" docker-registry "* && -d /run/systemd/system ]]; then
    systemctl disable --now docker-registry >>"$APT_LOG" 2>&1 || true
  fi

  engine_answers && return
  start_dockerd
  wait_for_engine
}

main "$@"
