#!/usr/bin/env bash
# What `npm run quickstart` runs: set-up (dependencies, build, Docker engine), then a local
# cluster with two nodes running the example manifests.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup

# Node agents (which run the pods in Docker) are not built yet: the control plane runs alone,
# stores the examples and shows them, as kubectl would against a cluster with no nodes.
bin/kctl cluster up --nodes 0
bin/kctl apply -f manifests/
bin/kctl get pods,deploy,svc,jobs

cat <<EOF

The control plane is up and holds the examples in manifests/ (their pods stay Pending: node
agents that run them in Docker come next). To go on:
  bin/kctl get deploy,svc,jobs -o wide   # what the API server stores
  bin/kctl describe jobs/py              # the Job as kubectl describes it
  bin/kctl apply -f my-app.yaml          # any ordinary Kubernetes YAML
  bin/kctl delete -f manifests/          # remove the examples
  bin/kctl cluster down                  # stop the cluster (data is kept; --purge removes it)
The real kubectl works too: kubectl --kubeconfig \${KCTL_HOME:-\$HOME/.kctl}/kubeconfig get all
EOF
