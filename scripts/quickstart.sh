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
bin/kctl get svc,endpoints
bin/kctl describe jobs/py
# The Django stand-in answers with what its Secret-backed environment says: by its Service's name
# from another pod (cluster DNS, the ClusterIP through the proxy), and on the host by its NodePort.
bin/kctl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: client, image: busybox:1.35, command: [sleep, "3600"]}]}
YAML
bin/kctl wait --for=condition=ready pod/client --timeout 60s >/dev/null
printf '\n$ kctl exec client -- wget -qO- http://django-service:8000/\n'
bin/kctl exec client -- wget -qO- http://django-service:8000/
node_port=$(bin/kctl get svc django-service -o jsonpath='{.spec.ports[0].nodePort}')
printf '\n$ curl http://127.0.0.1:%s/     # the NodePort, on the host\n' "$node_port"
node -e 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t))' "http://127.0.0.1:$node_port/"

cat <<EOF

Two node agents run the examples in manifests/ as Docker containers: the django Deployment
(its environment from the postgres-credentials Secret) behind its NodePort Service, and the py
Job, run to completion. To go on:
  bin/kctl get deploy,rs,pods,jobs -o wide
  bin/kctl logs -l job-name=py             # what the Job printed
  bin/kctl port-forward svc/django-service 8000    # then, elsewhere: wget -qO- http://127.0.0.1:8000/
  bin/kctl scale deployment/django --replicas 3
  bin/kctl rollout restart deployment/django && bin/kctl rollout status deployment/django
  bin/kctl apply -f my-app.yaml            # any ordinary Kubernetes YAML
  bin/kctl delete -f manifests/            # remove the examples
  bin/kctl cluster down                    # stop the cluster (data is kept; --purge removes it)
The real kubectl works too: kubectl --kubeconfig \${KCTL_HOME:-\$HOME/.kctl}/kubeconfig get all
EOF
