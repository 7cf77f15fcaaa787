import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { findByKind, RESOURCES } from '../../src/api/resources.js';
import { strategyFor } from '../../src/apiserver/registry/strategies/index.js';
import { djangoDeployment } from '../helpers/registry-fixtures.js';

const strategy = (kind: string) => strategyFor(findByKind(kind)!);

function defaulted(obj: KubeObject): KubeObject {
  strategy(obj.kind!).applyDefaults(obj);
  return obj;
}

/** What every pod spec gets, in a pod or a template. */
const POD_SPEC_DEFAULTS = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
  schedulerName: 'default-scheduler',
};

const CONTAINER_DEFAULTS = {
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  resources: {},
};

test('defaults are idempotent for every kind', () => {
  const samples: KubeObject[] = [
    djangoDeployment(),
    { kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' } } }] } },
    { kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: 'j1' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } } },
    { kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } },
    { kind: 'Secret', metadata: { name: 's', namespace: 'default' }, stringData: { password: 'hunter2' } },
    { kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'default' }, spec: { maxReplicas: 3, behavior: {} } },
    ...RESOURCES.map((r) => ({ kind: r.kind, metadata: { name: 'x', namespace: r.namespaced ? 'default' : undefined } })),
  ];
  for (const sample of samples) {
    const once = defaulted(structuredClone(sample));
    const twice = defaulted(structuredClone(once));
    assert.deepEqual(twice, once, sample.kind);
  }
});

test('pod: Kubernetes defaults for the spec, containers, ports and probes', () => {
  const pod = defaulted({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        },
      ],
    },
  });
  assert.deepEqual(pod.spec, {
    ...POD_SPEC_DEFAULTS,
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        imagePullPolicy: 'IfNotPresent',
        ...CONTAINER_DEFAULTS,
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        livenessProbe: {
          httpGet: { port: 80, path: '/', scheme: 'HTTP' },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        },
        readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP', apiVersion: 'v1' } } }],
      },
    ],
  });
});

test('pod: what the user set is kept', () => {
  const pod = defaulted({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      enableServiceLinks: false,
      serviceAccountName: 'builder',
      containers: [{ name: 'web', image: 'nginx', imagePullPolicy: 'Never' }],
    },
  });
  assert.equal(pod.spec.restartPolicy, 'Never');
  assert.equal(pod.spec.terminationGracePeriodSeconds, 0);
  assert.equal(pod.spec.enableServiceLinks, false);
  assert.equal(pod.spec.serviceAccountName, 'builder');
  assert.equal(pod.spec.serviceAccount, 'builder');
  assert.equal(pod.spec.containers[0].imagePullPolicy, 'Never');
});

test('pod: image pull policy follows the tag', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/team/app', 'Always'],
    ['localhost:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0e072dddd1f7f8fc8909a2ca6f65e76c5f0d2fcfb8be47935ae3457e8bbceb20', 'IfNotPresent'],
    ['gitumarkk/k8_django_minikube:part_4', 'IfNotPresent'],
  ];
  for (const [image, policy] of cases) {
    const pod = defaulted({ kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image }] } });
    assert.equal(pod.spec.containers[0].imagePullPolicy, policy, image);
  }
});

test('pod: requests default to limits, host network ports to container ports', () => {
  const pod = defaulted({
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      hostNetwork: true,
      containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 8080 }], resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } } }],
    },
  });
  assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  assert.equal(pod.spec.containers[0].ports[0].hostPort, 8080);
});

test('pod: volumes get a source and file modes', () => {
  const pod = defaulted({
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [{ name: 'c', image: 'nginx' }],
      volumes: [
        { name: 'scratch' },
        { name: 'creds', secret: { secretName: 'postgres-credentials' } },
        { name: 'conf', configMap: { name: 'settings', defaultMode: 0o600 } },
        { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      ],
    },
  });
  assert.deepEqual(pod.spec.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'creds', secret: { secretName: 'postgres-credentials', defaultMode: 420 } },
    { name: 'conf', configMap: { name: 'settings', defaultMode: 0o600 } },
    { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }], defaultMode: 420 } },
  ]);
});

test('pod: a new pod is Pending with its QoS class', () => {
  const cases: [Record<string, unknown> | undefined, string][] = [
    [undefined, 'BestEffort'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
    [{ limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }, 'Guaranteed'],
    [{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } }, 'Burstable'],
    [{ limits: { cpu: '1' } }, 'Burstable'],
  ];
  for (const [resources, qosClass] of cases) {
    const pod: KubeObject = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', resources }] } };
    assert.deepEqual(strategy('Pod').initialStatus!(pod), { phase: 'Pending', qosClass }, JSON.stringify(resources));
  }
});

test('deployment: the Django deployment as Kubernetes stores it', () => {
  // Two replicas, so that keeping them is not mistaken for the default of one.
  const d = defaulted(djangoDeployment(2));
  assert.deepEqual(d.spec, {
    replicas: 2,
    selector: { matchLabels: { pod: 'django' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    template: {
      metadata: { labels: { pod: 'django' } },
      spec: {
        ...POD_SPEC_DEFAULTS,
        containers: [
          {
            name: 'django',
            image: 'gitumarkk/k8_django_minikube:part_4',
            imagePullPolicy: 'IfNotPresent',
            ...CONTAINER_DEFAULTS,
            ports: [{ containerPort: 8000, protocol: 'TCP' }],
            env: [{ name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'user' } } }],
          },
        ],
      },
    },
  });
  const unset = djangoDeployment();
  delete unset.spec.replicas;
  assert.equal(defaulted(unset).spec.replicas, 1);
  const recreate = djangoDeployment();
  recreate.spec.strategy = { type: 'Recreate' };
  assert.deepEqual(defaulted(recreate).spec.strategy, { type: 'Recreate' });
  assert.deepEqual(strategy('Deployment').initialStatus!(d), {});
});

test('replica sets and replication controllers', () => {
  const rs = defaulted({
    kind: 'ReplicaSet',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  assert.equal(rs.spec.replicas, 1);
  assert.equal(rs.spec.template.spec.restartPolicy, 'Always');
  assert.deepEqual(strategy('ReplicaSet').initialStatus!(rs), { replicas: 0 });
  const rc = defaulted({
    kind: 'ReplicationController',
    metadata: { name: 'web' },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  assert.equal(rc.spec.replicas, 1);
  assert.deepEqual(rc.spec.selector, { app: 'web' });
  assert.deepEqual(rc.metadata.labels, { app: 'web' });
  const labelled = defaulted({
    kind: 'ReplicationController',
    metadata: { name: 'web', labels: { team: 'a' } },
    spec: { selector: { app: 'web', track: 'stable' }, template: { metadata: { labels: { app: 'web', track: 'stable' } } } },
  });
  assert.deepEqual(labelled.metadata.labels, { team: 'a' });
  assert.deepEqual(labelled.spec.selector, { app: 'web', track: 'stable' });
});

test('job: counts, policies and the generated selector and labels', () => {
  const job = defaulted({
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'u-1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  });
  const generated = { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi' };
  assert.equal(job.spec.completions, 1);
  assert.equal(job.spec.parallelism, 1);
  assert.equal(job.spec.backoffLimit, 6);
  assert.equal(job.spec.completionMode, 'NonIndexed');
  assert.equal(job.spec.suspend, false);
  assert.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  assert.deepEqual(job.spec.template.metadata.labels, generated);
  assert.deepEqual(job.metadata.labels, generated);
  assert.equal(job.spec.template.spec.terminationGracePeriodSeconds, 30);

  const parallel = defaulted({ kind: 'Job', metadata: { name: 'work', uid: 'u-2', labels: { team: 'a' } }, spec: { parallelism: 3, template: { metadata: { labels: { app: 'work' } } } } });
  assert.equal(parallel.spec.completions, undefined, 'completions stay unset when parallelism is set');
  assert.deepEqual(parallel.metadata.labels, { team: 'a' });
  const userLabels = defaulted({ kind: 'Job', metadata: { name: 'work', uid: 'u-3' }, spec: { template: { metadata: { labels: { app: 'work' } } } } });
  assert.deepEqual(userLabels.metadata.labels, { app: 'work' }, "a job is labelled with its template's own labels");
  const manual = defaulted({ kind: 'Job', metadata: { name: 'm', uid: 'u-4' }, spec: { manualSelector: true, selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } } } } });
  assert.deepEqual(manual.spec.selector, { matchLabels: { app: 'm' } });
  assert.deepEqual(manual.spec.template.metadata.labels, { app: 'm' });
});

test('cronjob: policies, history limits and template defaults', () => {
  const cj = defaulted({
    kind: 'CronJob',
    metadata: { name: 'backup' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'b', image: 'busybox' }] } } } } },
  });
  assert.equal(cj.spec.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec.suspend, false);
  assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined, 'job defaults are applied to the jobs, not the template');
});

test('service: type, affinity, ports and traffic policies', () => {
  const service = defaulted({
    kind: 'Service',
    metadata: { name: 'postgres', namespace: 'default' },
    spec: { selector: { app: 'postgres' }, ports: [{ port: 5432 }, { name: 'metrics', port: 9187, targetPort: 'metrics', protocol: 'TCP' }] },
  });
  assert.deepEqual(service.spec, {
    selector: { app: 'postgres' },
    type: 'ClusterIP',
    sessionAffinity: 'None',
    ports: [
      { port: 5432, protocol: 'TCP', targetPort: 5432 },
      { name: 'metrics', port: 9187, targetPort: 'metrics', protocol: 'TCP' },
    ],
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  const nodePort = defaulted({ kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
  assert.equal(nodePort.spec.externalTrafficPolicy, 'Cluster');
  assert.deepEqual(nodePort.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const external = defaulted({ kind: 'Service', metadata: { name: 'db' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
  assert.deepEqual(external.spec, { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
  assert.deepEqual(strategy('Service').initialStatus!(service), { loadBalancer: {} });
});

test('secret: Opaque, and stringData folded into data', () => {
  const secret = defaulted({
    kind: 'Secret',
    metadata: { name: 'postgres-credentials', namespace: 'default' },
    data: { user: 'c2FtcGxl', password: 'b2xk' },
    stringData: { password: 'hunter2' },
  });
  assert.deepEqual(secret, {
    kind: 'Secret',
    metadata: { name: 'postgres-credentials', namespace: 'default' },
    type: 'Opaque',
    data: { user: 'c2FtcGxl', password: Buffer.from('hunter2').toString('base64') },
  });
  assert.equal(defaulted({ kind: 'Secret', metadata: { name: 't' }, type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
});

test('namespace: finalizer, name label and phase', () => {
  const ns = defaulted({ kind: 'Namespace', metadata: { name: 'team-a', labels: { owner: 'a' } } });
  assert.deepEqual(ns.metadata.labels, { owner: 'a', 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(strategy('Namespace').initialStatus!(ns), { phase: 'Active' });
  const finalized = defaulted({ kind: 'Namespace', metadata: { name: 'old' }, spec: { finalizers: [] } });
  assert.deepEqual(finalized.spec.finalizers, [], 'a finalized namespace is not given the finalizer back');
  const deleting = defaulted({ kind: 'Namespace', metadata: { name: 'old', deletionTimestamp: '2024-01-01T00:00:00Z' } });
  assert.equal(deleting.spec.finalizers, undefined);
});

test('node, endpoints and horizontal pod autoscaler', () => {
  const node = defaulted({ kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } } });
  assert.deepEqual(node.status.allocatable, { cpu: '2', memory: '4Gi', pods: '110' });
  const endpoints = defaulted({ kind: 'Endpoints', metadata: { name: 'postgres' }, subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 5432 }] }] });
  assert.deepEqual(endpoints.subsets[0].ports, [{ port: 5432, protocol: 'TCP' }]);
  const hpa = defaulted({
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'django' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'django' }, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
  });
  assert.equal(hpa.spec.minReplicas, 1);
  assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(hpa.spec.behavior, {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
  const noBehavior = defaulted({ kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 2 } });
  assert.equal(noBehavior.spec.behavior, undefined);
});

test('kinds without defaults are left untouched', () => {
  for (const k of ['ConfigMap', 'ServiceAccount', 'Event', 'Lease', 'Ingress']) {
    const obj: KubeObject = { kind: k, metadata: { name: 'x', namespace: 'default' }, data: { a: 'b' } };
    assert.deepEqual(defaulted(structuredClone(obj)), obj, k);
  }
});
