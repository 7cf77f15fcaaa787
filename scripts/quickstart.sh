#!/usr/bin/env bash
# What `npm run quickstart` runs: set-up (dependencies, build, Docker engine), then a local
# cluster with two nodes running the example manifests.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup

# Each node is a node agent process; `--nodes 0` brings up the control plane alone.
bin/kctl cluster up --nodes 2
bin/kctl apply -f manifests/
bin/kctl get pods,deploy,svc,jobs

cat <<EOF

The cluster is up and runs the examples in manifests/. To go on:
  bin/kctl get pods -o wide          # which node runs which pod
  bin/kctl describe jobs/py          # the Job's pod and events
  bin/kctl logs job/py               # what that pod printed
  bin/kctl apply -f my-app.yaml      # any ordinary Kubernetes YAML
  bin/kctl delete -f manifests/      # remove the examples
The real kubectl works too: kubectl --kubeconfig ${KCTL_HOME:-$HOME/.kctl}/kubeconfig get all
EOF
