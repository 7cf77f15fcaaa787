#!/usr/bin/env bash
# What `npm run quickstart` runs: set-up (dependencies, build, Docker engine), then a local
# cluster with two nodes running the example manifests.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup

# The offline images (no registry here), then the API server and two node agents.
bin/kctl images prepare
bin/kctl cluster up --nodes 2
bin/kctl apply -f manifests/
bin/kctl get nodes
# Until `kctl wait` exists: give pod/hello up to 30 s to start.
for _ in $(seq 60); do
  [[ "$(bin/kctl get pod hello -o jsonpath='{.status.phase}')" == Running ]] && break
  sleep 0.5
done
bin/kctl get pods,deploy,svc,jobs -o wide

cat <<EOF

The control plane and two node agents are up with the examples in manifests/: pod/hello runs in
Docker on node-1 (its IP is in the table above); the Deployment and Job wait for the scheduler and
controllers, which come next. To go on:
  bin/kctl get deploy,svc,jobs -o wide   # what the API server stores
  bin/kctl describe jobs/py              # the Job as kubectl describes it
  bin/kctl apply -f my-app.yaml          # any ordinary Kubernetes YAML
  bin/kctl delete -f manifests/          # remove the examples
  bin/kctl cluster down                  # stop the cluster (data is kept; --purge removes it)
The real kubectl works too: kubectl --kubeconfig \${KCTL_HOME:-\$HOME/.kctl}/kubeconfig get all
EOF
