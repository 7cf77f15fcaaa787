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
bin/kctl rollout status deployment/django --timeout 90s
bin/kctl wait --for=condition=complete job/py --timeout 90s
bin/kctl get nodes
bin/kctl get pods -o wide
bin/kctl describe jobs/py
# The Django stand-in answers with what its Secret-backed environment says.
django_pod=$(bin/kctl get pods -l pod=django -o jsonpath='{.items[0].metadata.name}')
printf '\n$ kctl exec %s -- wget -qO- http://127.0.0.1:8000/\n' "$django_pod"
bin/kctl exec "$django_pod" -- wget -qO- http://127.0.0.1:8000/

cat <<EOF

Two node agents run the examples in manifests/ as Docker containers: the django Deployment
(its environment from the postgres-credentials Secret), scheduled onto a node, and the py Job,
run to completion. To go on:
  bin/kctl get deploy,rs,pods,jobs -o wide
  bin/kctl logs -l job-name=py             # what the Job printed
  bin/kctl scale deployment/django --replicas 3
  bin/kctl rollout restart deployment/django && bin/kctl rollout status deployment/django
  bin/kctl apply -f my-app.yaml            # any ordinary Kubernetes YAML
  bin/kctl delete -f manifests/            # remove the examples
  bin/kctl cluster down                    # stop the cluster (data is kept; --purge removes it)
The real kubectl works too: kubectl --kubeconfig \${KCTL_HOME:-\$HOME/.kctl}/kubeconfig get all
EOF
