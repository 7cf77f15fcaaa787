#!/usr/bin/env bash
# What `npm run quickstart` runs: set-up (dependencies, build, Docker engine), then a local
# cluster with two nodes running the example manifests.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup

# The offline images (no registry here), then the API server and two node agents. The agents
# register and stay Ready; running pods in Docker is the next step, so pods stay Pending for now.
bin/kctl images prepare
bin/kctl cluster up --nodes 2
bin/kctl apply -f manifests/
bin/kctl get nodes
bin/kctl get pods,deploy,svc,jobs

cat <<EOF

The control plane and two node agents are up and hold the examples in manifests/ (pods stay
Pending: running them in Docker comes next). To go on:
  bin/kctl get deploy,svc,jobs -o wide   # what the API server stores
  bin/kctl describe jobs/py              # the Job as kubectl describes it
  bin/kctl apply -f my-app.yaml          # any ordinary Kubernetes YAML
  bin/kctl delete -f manifests/          # remove the examples
  bin/kctl cluster down                  # stop the cluster (data is kept; --purge removes it)
The real kubectl works too: kubectl --kubeconfig \${KCTL_HOME:-\$HOME/.kctl}/kubeconfig get all
EOF
