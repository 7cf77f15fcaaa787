// kctl describe against kubectl. Each expected text (DESCRIBED, GENERIC_WIDGET) is what kubectl
// 1.32 printed for the same object, served to it by a stub API server (timestamps shifted back to
// NOW), unless a comment says where kctl deliberately differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldGetterFor, fieldSelectorMatcher } from '../../src/api/field-selector.js';
import { parseLabelSelector } from '../../src/api/label-selector.js';
import { resolveResource } from '../../src/api/resources.js';
import type { KubeObject, ObjectMeta } from '../../src/api/types.js';
import { writeEvents } from '../../src/cli/describe/events.js';
import { describerFor, type RelatedRequest } from '../../src/cli/describe/index.js';
import { LEVEL_0, tabbed } from '../../src/cli/describe/writer.js';
import { pod } from '../helpers/builders.js';

// kubectl prints times in the local time zone; the expected texts are in UTC.
process.env.TZ = 'UTC';

// ---- Fixtures: objects as the API server serves them, at a fixed "now". ----

const NOW = new Date('2026-11-23T10:53:00Z');
/** The timestamp `seconds` before NOW, as the API writes timestamps. */
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');

type Ref = { kind: string; namespace?: string; name: string; uid: string; apiVersion: string; resourceVersion?: string; fieldPath?: string };
const refTo = (o: KubeObject, fieldPath?: string): Ref => ({
  kind: o.kind!,
  namespace: o.metadata.namespace,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  apiVersion: o.apiVersion!,
  resourceVersion: o.metadata.resourceVersion,
  ...(fieldPath ? { fieldPath } : {}),
});

/** A core/v1 Event as controllers and the kubelet record them. */
function event(name: string, about: Ref, type: string, reason: string, message: string, component: string, first: number, last: number, count: number, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default', uid: `ev-${name}`, resourceVersion: '900', creationTimestamp: ago(first) },
    involvedObject: about,
    reason,
    message,
    source: { component, ...(component === 'kubelet' ? { host: 'node-1' } : {}) },
    firstTimestamp: ago(first),
    lastTimestamp: ago(last),
    count,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: component === 'kubelet' ? 'node-1' : '',
    ...extra,
  };
}

const djangoPodSpec = {
  containers: [
    {
      name: 'django',
      image: 'gitumarkk/k8_django_minikube:part_4',
      ports: [{ containerPort: 8000, protocol: 'TCP' }],
      env: [
        { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'user' } } },
        { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'password' } } },
        { name: 'POSTGRES_HOST', value: 'postgres-service' },
        { name: 'REDIS_HOST', value: 'redis-service' },
      ],
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    },
  ],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
};

// The seeds' django Deployment, after the controllers have run.
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'django', namespace: 'default', uid: '6b0e1c52-7d4e-4b8f-9a51-3f0c2d9e8a11', resourceVersion: '1200', generation: 1,
    creationTimestamp: ago(300), labels: { deployment: 'django' }, annotations: { 'deployment.kubernetes.io/revision': '1' },
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { pod: 'django' } },
    template: { metadata: { labels: { pod: 'django' } }, spec: djangoPodSpec },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  status: {
    observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', lastUpdateTime: ago(280), lastTransitionTime: ago(280), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', lastUpdateTime: ago(280), lastTransitionTime: ago(300), reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "django-5d8f7b9c6" has successfully progressed.' },
    ],
  },
};

const ownedByDeployment = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'django', uid: deployment.metadata.uid!, controller: true, blockOwnerDeletion: true }];

const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'django-5d8f7b9c6', namespace: 'default', uid: '0c4d7f3a-2b1e-4c5d-8e9f-1a2b3c4d5e6f', resourceVersion: '1190', generation: 1,
    creationTimestamp: ago(300), labels: { pod: 'django', 'pod-template-hash': '5d8f7b9c6' },
    annotations: { 'deployment.kubernetes.io/desired-replicas': '1', 'deployment.kubernetes.io/max-replicas': '2', 'deployment.kubernetes.io/revision': '1' },
    ownerReferences: ownedByDeployment,
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { pod: 'django', 'pod-template-hash': '5d8f7b9c6' } },
    template: { metadata: { labels: { pod: 'django', 'pod-template-hash': '5d8f7b9c6' } }, spec: djangoPodSpec },
  },
  status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
};

// The ReplicaSet of the previous rollout: an older image, scaled to zero.
const oldReplicaSet: KubeObject = {
  ...replicaSet,
  metadata: {
    ...replicaSet.metadata, name: 'django-7f6c9d8b4', uid: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d', creationTimestamp: ago(900),
    labels: { pod: 'django', 'pod-template-hash': '7f6c9d8b4' },
  },
  spec: {
    replicas: 0,
    selector: { matchLabels: { pod: 'django', 'pod-template-hash': '7f6c9d8b4' } },
    template: {
      metadata: { labels: { pod: 'django', 'pod-template-hash': '7f6c9d8b4' } },
      spec: { ...djangoPodSpec, containers: [{ ...djangoPodSpec.containers[0], image: 'gitumarkk/k8_django_minikube:part_3' }] },
    },
  },
  status: { replicas: 0, observedGeneration: 2 },
};

const djangoPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'django-5d8f7b9c6-x7k2p', generateName: 'django-5d8f7b9c6-', namespace: 'default', uid: '3e2f1a0b-9c8d-4e7f-a6b5-c4d3e2f1a0b9', resourceVersion: '1180',
    creationTimestamp: ago(300), labels: { pod: 'django', 'pod-template-hash': '5d8f7b9c6' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'django-5d8f7b9c6', uid: replicaSet.metadata.uid!, controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    ...djangoPodSpec,
    containers: [{ ...djangoPodSpec.containers[0], volumeMounts: [{ name: 'kube-api-access-9xq4z', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
    volumes: [
      {
        name: 'kube-api-access-9xq4z',
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
          defaultMode: 420,
        },
      },
    ],
    serviceAccountName: 'default', serviceAccount: 'default', nodeName: 'node-1', priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: ago(290) },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: ago(300) },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: ago(290) },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: ago(290) },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ago(300) },
    ],
    hostIP: '10.0.0.2', hostIPs: [{ ip: '10.0.0.2' }], podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], startTime: ago(300),
    containerStatuses: [
      {
        name: 'django', state: { running: { startedAt: ago(291) } }, lastState: {}, ready: true, restartCount: 0,
        image: 'gitumarkk/k8_django_minikube:part_4',
        imageID: 'docker-pullable://gitumarkk/k8_django_minikube@sha256:4f8a0c6b1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a',
        containerID: 'docker://8d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c', started: true,
      },
    ],
    qosClass: 'BestEffort',
  },
};

const terminationDefaults = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' };

// A Running pod with an init container and two app containers.
const webPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web', namespace: 'default', uid: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', resourceVersion: '1500', creationTimestamp: ago(240),
    labels: { app: 'web', tier: 'frontend' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Pod"}\n', 'prometheus.io/scrape': 'true' },
  },
  spec: {
    initContainers: [{ name: 'init-db', image: 'busybox:1.36', command: ['sh', '-c', 'until nslookup postgres-service; do sleep 2; done'], resources: {}, ...terminationDefaults }],
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { name: 'metrics', containerPort: 9113, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '500m', memory: '256Mi' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          { name: 'MEMORY_LIMIT', valueFrom: { resourceFieldRef: { containerName: 'nginx', resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'log-level', optional: true } } },
        ],
        envFrom: [{ configMapRef: { name: 'app-config' } }, { prefix: 'DB_', secretRef: { name: 'postgres-credentials' } }],
        volumeMounts: [
          { name: 'html', mountPath: '/usr/share/nginx/html' },
          { name: 'config', mountPath: '/etc/nginx/conf.d', readOnly: true, subPath: 'nginx' },
        ],
        ...terminationDefaults,
      },
      {
        name: 'log-shipper',
        image: 'busybox:1.36',
        command: ['sh', '-c'],
        args: ['tail -F /var/log/nginx/access.log\necho done'],
        resources: { limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '0.1', memory: '64Mi' } },
        startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 30 },
        volumeMounts: [{ name: 'html', mountPath: '/data', readOnly: true }],
        ...terminationDefaults,
      },
    ],
    volumes: [
      { name: 'html', emptyDir: {} },
      { name: 'config', configMap: { name: 'app-config', defaultMode: 420 } },
      { name: 'certs', secret: { secretName: 'web-tls', defaultMode: 420, optional: true } },
      { name: 'host-logs', hostPath: { path: '/var/log', type: 'Directory' } },
    ],
    nodeName: 'node-1', serviceAccountName: 'default', priority: 0, restartPolicy: 'Always',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ operator: 'Exists' }, { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: ago(230) },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: ago(220) },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: ago(220) },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ago(240) },
    ],
    hostIP: '10.0.0.2', podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }], startTime: ago(240),
    initContainerStatuses: [
      {
        name: 'init-db', state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ago(238), finishedAt: ago(231), containerID: 'docker://1111' } },
        lastState: {}, ready: true, restartCount: 0, image: 'busybox:1.36', imageID: 'docker-pullable://busybox@sha256:aaaa', containerID: 'docker://1111',
      },
    ],
    containerStatuses: [
      { name: 'nginx', state: { running: { startedAt: ago(229) } }, lastState: {}, ready: true, restartCount: 0, image: 'nginx:1.27', imageID: 'docker-pullable://nginx@sha256:bbbb', containerID: 'docker://2222', started: true },
      { name: 'log-shipper', state: { running: { startedAt: ago(228) } }, lastState: {}, ready: true, restartCount: 0, image: 'busybox:1.36', imageID: 'docker-pullable://busybox@sha256:aaaa', containerID: 'docker://3333', started: true },
    ],
    qosClass: 'Burstable',
  },
};

const crashPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'crasher', namespace: 'default', uid: '5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c', resourceVersion: '1600', creationTimestamp: ago(330), labels: { run: 'crasher' } },
  spec: {
    containers: [{ name: 'crasher', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; exit 1'], resources: {}, ...terminationDefaults }],
    restartPolicy: 'Always', nodeName: 'node-1', serviceAccountName: 'default', priority: 0,
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: ago(330) },
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: ago(325), reason: 'ContainersNotReady', message: 'containers with unready status: [crasher]' },
      { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: ago(325), reason: 'ContainersNotReady', message: 'containers with unready status: [crasher]' },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ago(330) },
    ],
    hostIP: '10.0.0.2', podIP: '10.244.0.9', podIPs: [{ ip: '10.244.0.9' }], startTime: ago(330),
    containerStatuses: [
      {
        name: 'crasher',
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=crasher pod=crasher_default(5f4e3d2c)' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(95), finishedAt: ago(95), containerID: 'docker://4444' } },
        ready: false, restartCount: 5, image: 'busybox:1.36', imageID: 'docker-pullable://busybox@sha256:aaaa', containerID: 'docker://4444', started: false,
      },
    ],
    qosClass: 'BestEffort',
  },
};

const JOB_UID = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
const jobLabels = { 'batch.kubernetes.io/controller-uid': JOB_UID, 'batch.kubernetes.io/job-name': 'py', 'controller-uid': JOB_UID, 'job-name': 'py' };

// A Job that ran one pod to completion.
const job: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'py', namespace: 'default', uid: JOB_UID, resourceVersion: '2000', generation: 1, creationTimestamp: ago(600), labels: jobLabels },
  spec: {
    parallelism: 1, completions: 1, completionMode: 'NonIndexed', suspend: false, backoffLimit: 6, manualSelector: false, podReplacementPolicy: 'TerminatingOrFailed',
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': JOB_UID } },
    template: {
      metadata: { labels: jobLabels },
      spec: {
        containers: [{ name: 'py', image: 'python:3.12-slim', command: ['python', '-c', 'print(sum(range(10)))'], resources: {}, ...terminationDefaults }],
        restartPolicy: 'Never', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
      },
    },
  },
  status: {
    conditions: [
      { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: ago(588), lastTransitionTime: ago(588) },
      { type: 'Complete', status: 'True', lastProbeTime: ago(588), lastTransitionTime: ago(588) },
    ],
    startTime: ago(600), completionTime: ago(588), succeeded: 1, terminating: 0, uncountedTerminatedPods: {}, ready: 0,
  },
};

const cronJob: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'hello', namespace: 'default', uid: '8e7d6c5b-4a3f-4e2d-1c0b-9a8f7e6d5c4b', resourceVersion: '2100', creationTimestamp: ago(3600) },
  spec: {
    schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, startingDeadlineSeconds: 100,
    jobTemplate: {
      metadata: {},
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 60,
        template: {
          metadata: {},
          spec: { containers: [{ name: 'hello', image: 'busybox:1.36', command: ['sh', '-c', 'date; echo Hello'], resources: {}, imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'OnFailure' },
        },
      },
    },
  },
  status: { lastScheduleTime: ago(180), lastSuccessfulTime: ago(175), active: [{ kind: 'Job', namespace: 'default', name: 'hello-29400000', uid: 'x', apiVersion: 'batch/v1' }] },
};

const rc: KubeObject = {
  apiVersion: 'v1',
  kind: 'ReplicationController',
  metadata: { name: 'nginx-rc', namespace: 'default', uid: '4b5c6d7e-8f9a-4b0c-1d2e-3f4a5b6c7d8e', resourceVersion: '2200', generation: 1, creationTimestamp: ago(120), labels: { app: 'nginx' } },
  spec: {
    replicas: 2,
    selector: { app: 'nginx' },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {}, imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always' },
    },
  },
  status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
};

function nginxPod(name: string, phase: string, controlled: boolean): KubeObject {
  return pod(name, {
    metadata: { namespace: 'default', uid: `uid-${name}`, resourceVersion: '2210', creationTimestamp: ago(120) },
    labels: { app: 'nginx' },
    ...(controlled ? { owner: { apiVersion: 'v1', kind: 'ReplicationController', name: 'nginx-rc', uid: rc.metadata.uid! } } : {}),
    container: { name: 'nginx', image: 'nginx:1.27' },
    requests: { cpu: '250m', memory: '100M' },
    node: phase === 'Pending' ? undefined : 'node-1',
    phase,
  });
}
// The last pod matches the controller's selector but is not its own: it must not be counted.
const rcPods = [nginxPod('nginx-rc-4xk9p', 'Running', true), nginxPod('nginx-rc-b2m7q', 'Pending', true), nginxPod('stray-nginx', 'Running', false)];

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'django-service', namespace: 'default', uid: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a', resourceVersion: '1300', creationTimestamp: ago(300) },
  spec: {
    selector: { pod: 'django' }, type: 'NodePort', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'],
    ports: [{ protocol: 'TCP', port: 8000, targetPort: 8000, nodePort: 30080 }],
    sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
  },
  status: { loadBalancer: {} },
};

const endpoints: KubeObject = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'django-service', namespace: 'default', uid: 'e1', resourceVersion: '1310', creationTimestamp: ago(300), labels: { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' } },
  subsets: [
    {
      addresses: [{ ip: '10.244.0.5', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'django-5d8f7b9c6-x7k2p', uid: djangoPod.metadata.uid } }],
      notReadyAddresses: [{ ip: '10.244.0.6', nodeName: 'node-1' }],
      ports: [{ port: 8000, protocol: 'TCP' }],
    },
  ],
};

const endpointSlice: KubeObject = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'django-service-x8k2p', namespace: 'default', labels: { 'kubernetes.io/service-name': 'django-service' } },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['10.244.0.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1' },
    { addresses: ['10.244.0.6'], conditions: { ready: false, serving: false, terminating: false }, nodeName: 'node-1' },
  ],
  ports: [{ name: '', port: 8000, protocol: 'TCP' }],
};

// Headless, and nothing selected yet: no Endpoints object.
const headless: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'postgres', namespace: 'default', uid: 'h1', resourceVersion: '1', creationTimestamp: ago(300), labels: { app: 'postgres' }, annotations: { note: 'headless' } },
  spec: { clusterIP: 'None', clusterIPs: ['None'], type: 'ClusterIP', selector: { app: 'postgres' }, ports: [{ name: 'pg', protocol: 'TCP', port: 5432, targetPort: 'pg' }], sessionAffinity: 'None' },
  status: { loadBalancer: {} },
};

const node: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'node-1', uid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', resourceVersion: '3000', creationTimestamp: ago(86400 * 3),
    labels: { 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/control-plane': '' },
    annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
  },
  spec: {
    podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'],
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'dedicated', value: 'web', effect: 'NoExecute' }],
  },
  status: {
    capacity: { cpu: '2', 'ephemeral-storage': '61255492Ki', 'hugepages-2Mi': '0', memory: '4025836Ki', pods: '110' },
    allocatable: { cpu: '2', 'ephemeral-storage': '56453061334', 'hugepages-2Mi': '0', memory: '3923436Ki', pods: '110' },
    conditions: [
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ago(20), lastTransitionTime: ago(86400 * 3), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
      { type: 'DiskPressure', status: 'False', lastHeartbeatTime: ago(20), lastTransitionTime: ago(86400 * 3), reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
      { type: 'PIDPressure', status: 'False', lastHeartbeatTime: ago(20), lastTransitionTime: ago(86400 * 3), reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
      { type: 'Ready', status: 'True', lastHeartbeatTime: ago(20), lastTransitionTime: ago(86400 * 3 - 30), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
    addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'node-1' }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: 'f1e2d3c4b5a697887766554433221100', systemUUID: 'f1e2d3c4-b5a6-9788-7766-554433221100', bootID: '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
      kernelVersion: '6.1.0-18-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'docker://20.10.24', kubeletVersion: 'v1.30.0-kctl',
      kubeProxyVersion: 'v1.30.0-kctl', operatingSystem: 'linux', architecture: 'amd64',
    },
  },
};

const lease: KubeObject = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: {
    name: 'node-1', namespace: 'kube-node-lease', uid: 'l1', resourceVersion: '3100', creationTimestamp: ago(86400 * 3),
    ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata.uid! }],
    managedFields: [{ manager: 'kctl-node', operation: 'Update' }],
  },
  spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-11-23T10:52:55.123456Z' },
};

const namespace: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'default', uid: 'n1', resourceVersion: '10', creationTimestamp: ago(86400 * 3), labels: { 'kubernetes.io/metadata.name': 'default' } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
};

const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app-config', namespace: 'default', uid: 'c1', resourceVersion: '400', creationTimestamp: ago(400) },
  data: { 'settings.py': 'DEBUG = False\nALLOWED_HOSTS = ["*"]\n', APP_ENV: 'production', 'log-level': 'info' },
  binaryData: { 'logo.png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' },
};

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'postgres-credentials', namespace: 'default', uid: 's1', resourceVersion: '410', creationTimestamp: ago(400) },
  type: 'Opaque',
  data: { user: Buffer.from('admin').toString('base64'), password: Buffer.from('s3cr3t-pa55').toString('base64') },
};

const serviceAccount: KubeObject = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'builder', namespace: 'default', uid: 'sa1', resourceVersion: '420', creationTimestamp: ago(400) },
  imagePullSecrets: [{ name: 'regcred' }, { name: 'regcred-2' }],
  secrets: [{ name: 'builder-token' }],
};

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'django-ingress', namespace: 'default', uid: 'i1', resourceVersion: '500', generation: 1, creationTimestamp: ago(200), annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['django.local'], secretName: 'django-tls' }],
    rules: [
      {
        host: 'django.local',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'django-service', port: { number: 8000 } } } },
            { path: '/static', pathType: 'Prefix', backend: { service: { name: 'static', port: { name: 'http' } } } },
          ],
        },
      },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '10.0.0.2' }] } },
};

const hpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'django', namespace: 'default', uid: 'hpa1', resourceVersion: '600', creationTimestamp: ago(250) },
  spec: {
    scaleTargetRef: { kind: 'Deployment', name: 'django', apiVersion: 'apps/v1' },
    minReplicas: 1,
    maxReplicas: 5,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
  },
  status: {
    currentReplicas: 1,
    desiredReplicas: 1,
    currentMetrics: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '12m' } } },
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '104857600' } } },
    ],
    conditions: [
      { type: 'AbleToScale', status: 'True', lastTransitionTime: ago(240), reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
      { type: 'ScalingActive', status: 'True', lastTransitionTime: ago(240), reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
    ],
  },
};

const events: KubeObject[] = [
  event('django.1', refTo(deployment), 'Normal', 'ScalingReplicaSet', 'Scaled up replica set django-5d8f7b9c6 to 1', 'deployment-controller', 300, 300, 1),
  event('django-5d8f7b9c6.1', refTo(replicaSet), 'Normal', 'SuccessfulCreate', 'Created pod: django-5d8f7b9c6-x7k2p', 'replicaset-controller', 300, 300, 1),
  // The scheduler records events.k8s.io/v1 events: eventTime only, no source.
  event('dp.1', refTo(djangoPod), 'Normal', 'Scheduled', 'Successfully assigned default/django-5d8f7b9c6-x7k2p to node-1', 'default-scheduler', 300, 300, 1, {
    source: {}, eventTime: '2026-11-23T10:48:00.512345Z', firstTimestamp: null, lastTimestamp: null, count: undefined,
  }),
  event('dp.2', refTo(djangoPod, 'spec.containers{django}'), 'Normal', 'Pulled', 'Container image "gitumarkk/k8_django_minikube:part_4" already present on machine', 'kubelet', 295, 295, 1),
  event('dp.3', refTo(djangoPod, 'spec.containers{django}'), 'Normal', 'Created', 'Created container django', 'kubelet', 294, 294, 1),
  event('dp.4', refTo(djangoPod, 'spec.containers{django}'), 'Normal', 'Started', 'Started container django', 'kubelet', 291, 291, 1),
  event('cr.1', refTo(crashPod), 'Normal', 'Scheduled', 'Successfully assigned default/crasher to node-1', 'default-scheduler', 330, 330, 1),
  event('cr.2', refTo(crashPod, 'spec.containers{crasher}'), 'Normal', 'Pulled', 'Container image "busybox:1.36" already present on machine', 'kubelet', 328, 95, 6),
  event('cr.3', refTo(crashPod, 'spec.containers{crasher}'), 'Warning', 'BackOff', 'Back-off restarting failed container crasher in pod crasher_default(5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c)', 'kubelet', 320, 10, 25),
  event('py.1', refTo(job), 'Normal', 'SuccessfulCreate', 'Created pod: py-k7zq4', 'job-controller', 600, 600, 1),
  event('py.2', refTo(job), 'Normal', 'Completed', 'Job completed', 'job-controller', 588, 588, 1),
  event('web.1', refTo(webPod), 'Normal', 'Scheduled', 'Successfully assigned default/web to node-1', 'default-scheduler', 240, 240, 1),
  event('web.2', refTo(webPod, 'spec.containers{nginx}'), 'Warning', 'Unhealthy', '  Readiness probe failed: dial tcp 10.244.0.7:80: connect: connection refused\n', 'kubelet', 235, 225, 3),
];

// ---- Edge cases: a pending pod with every optional section, a terminating one, a bare node... ----

const simpleMeta = (name: string, extra: Partial<ObjectMeta> = {}): ObjectMeta => ({
  name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: ago(100), ...extra,
});

const pendingPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: simpleMeta('pending', {
    labels: { app: 'x', empty: '' },
    annotations: {
      long: 'a'.repeat(150),
      multi: 'line one\nline two\n',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      esc: 'bell\x1b[31mred\r',
    },
  }),
  spec: {
    containers: [
      {
        name: 'app',
        image: 'nginx',
        resources: { requests: { cpu: '1.5', memory: '1Gi' } },
        env: [
          { name: 'MULTI', value: 'a\nb\nc' },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
        ],
        readinessProbe: { httpGet: { path: 'ready?x=1 y', port: 'http', scheme: 'HTTPS', host: 'fe80::1' }, periodSeconds: 3 },
        livenessProbe: { grpc: { port: 9000, service: 'health' }, periodSeconds: 3 },
        securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'prof.json' } },
        volumeDevices: [{ name: 'blk', devicePath: '/dev/xvda' }],
      },
    ],
    initContainers: [
      { name: 'sidecar', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '100m' }, limits: { memory: '128Mi' } } },
      { name: 'migrate', image: 'm', resources: { requests: { cpu: '2', memory: '64Mi' } } },
    ],
    ephemeralContainers: [{ name: 'debugger', image: 'busybox', stdin: true }],
    readinessGates: [{ conditionType: 'example.com/feature' }, { conditionType: 'other' }],
    topologySpreadConstraints: [
      {
        maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
      },
      { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
    ],
    priorityClassName: 'high', priority: 1000, runtimeClassName: 'runc', securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    volumes: [
      {
        name: 'dapi',
        downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
          ],
        },
      },
      { name: 'data', persistentVolumeClaim: { claimName: 'data-pvc' } },
      { name: 'nfs', nfs: { server: 'nfs.local', path: '/exports', readOnly: true } },
      { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '0.5Gi' } },
    ],
  },
  // No qosClass recorded: kubectl computes it.
  status: {
    phase: 'Pending', reason: 'Unschedulable', message: '0/1 nodes are available', nominatedNodeName: 'node-2',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }, { type: 'example.com/feature', status: 'True' }],
  },
};

const terminatingPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: simpleMeta('terminating', {
    deletionTimestamp: ago(5), deletionGracePeriodSeconds: 30,
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'x', controller: true }],
  }),
  spec: { nodeName: 'node-3', containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 53, protocol: 'UDP', hostPort: 53 }] }] },
  status: {
    phase: 'Running', hostIP: '10.0.0.2', podIP: '10.244.0.9', startTime: ago(100),
    containerStatuses: [
      {
        name: 'c', state: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', message: 'out of memory', startedAt: ago(90), finishedAt: ago(2) } },
        lastState: {}, ready: false, restartCount: 0, image: 'i', imageID: '', containerID: 'docker://9',
      },
    ],
  },
};

function pendingEvent(name: string, extra: Partial<KubeObject>): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name, namespace: 'default', uid: `ev-${name}`, creationTimestamp: ago(10) },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'pending', uid: 'uid-pending' },
    type: 'Normal', source: {}, ...extra,
  };
}
const pendingEvents = [
  pendingEvent('e1', {
    reason: 'FailedScheduling', type: 'Warning', message: '0/1 nodes are available: 1 Insufficient cpu.', eventTime: '2026-11-23T10:50:00.000000Z',
    reportingComponent: 'default-scheduler', series: { count: 4, lastObservedTime: '2026-11-23T10:52:10.000000Z' },
  }),
  pendingEvent('e2', { reason: 'Old', message: 'first', firstTimestamp: ago(7200), lastTimestamp: ago(3700), count: 40, source: { component: 'kubelet', host: 'n' } }),
  pendingEvent('e3', { reason: 'Ancient', message: 'msg', firstTimestamp: ago(86400 * 400), lastTimestamp: ago(86400 * 3 + 3600 * 5), count: 2, source: { component: 'x' } }),
];

// No ReplicaSet yet; a set-based selector; a Recreate strategy; a template with every optional line.
const freshDeployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: simpleMeta('fresh', { generation: 1 }),
  spec: {
    replicas: 3,
    selector: {
      matchLabels: { app: 'fresh' },
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod', 'dev'] }, { key: 'canary', operator: 'DoesNotExist' }],
    },
    template: {
      metadata: { labels: { app: 'fresh' }, annotations: { 'a.b/c': 'd' } },
      spec: {
        serviceAccountName: 'builder', priorityClassName: 'high', nodeSelector: { disk: 'ssd' },
        initContainers: [{ name: 'init', image: 'busybox' }],
        containers: [
          {
            name: 'c', image: 'i',
            env: [{ name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
            resources: { limits: { cpu: '2000m', memory: '2048Mi' } },
          },
        ],
        volumes: [{ name: 'v', emptyDir: {} }],
        tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }],
      },
    },
    strategy: { type: 'Recreate' },
    minReadySeconds: 5,
  },
  status: { replicas: 0, unavailableReplicas: 3 },
};

const lbService: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: simpleMeta('lb'),
  spec: {
    type: 'LoadBalancer', clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50', 'fd00::50'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack',
    externalIPs: ['1.2.3.4'], loadBalancerIP: '5.6.7.8',
    ports: [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 'web', nodePort: 31000 },
      { name: 'https', protocol: 'TCP', port: 443, targetPort: 8443, nodePort: 31001 },
    ],
    selector: { app: 'lb' }, sessionAffinity: 'ClientIP', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', healthCheckNodePort: 32000,
    loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.0.0/16'],
  },
  status: { loadBalancer: { ingress: [{ ip: '9.9.9.9', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] } },
};

const lbEndpoints: KubeObject = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: simpleMeta('lb'),
  subsets: [
    {
      addresses: [1, 2, 3, 4, 5].map((i) => ({ ip: `10.244.1.${i}` })),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }],
    },
  ],
};

const lbEndpointSlice: KubeObject = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { ...simpleMeta('lb-abcde'), labels: { 'kubernetes.io/service-name': 'lb' } },
  addressType: 'IPv4',
  endpoints: [1, 2, 3, 4, 5].map((i) => ({ addresses: [`10.244.1.${i}`], conditions: { ready: true } })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }],
};

const indexedJob: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: simpleMeta('indexed', { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'c', controller: true }] }),
  spec: {
    parallelism: 3, completions: 100, completionMode: 'Indexed', backoffLimit: 1, ttlSecondsAfterFinished: 100, activeDeadlineSeconds: 600,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-indexed' } },
    template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'uid-indexed' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'w', args: ['--index'] }] } },
  },
  status: { startTime: ago(4000), active: 3, failed: 2, succeeded: 40, completedIndexes: '0-9,11,13-20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,56' },
};

// No lease, no taints; extended resources and hugepages; a pod with an init container and overhead.
const bareNode: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'node-2', uid: 'uid-node-2', creationTimestamp: ago(7200),
    labels: { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/gpu': '', 'node-role.kubernetes.io/': 'x' },
  },
  spec: { unschedulable: true, providerID: 'kctl://node-2' },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110', 'example.com/gpu': '2', 'hugepages-1Gi': '2Gi' },
    allocatable: { cpu: '3500m', memory: '7Gi', pods: '110', 'example.com/gpu': '2', 'hugepages-1Gi': '2Gi', 'ephemeral-storage': '10Gi' },
    addresses: [{ type: 'InternalIP', address: '10.0.0.3' }],
    nodeInfo: {
      machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: 'k', osImage: 'o', containerRuntimeVersion: 'docker://20.10',
      kubeletVersion: 'v1.30.0', operatingSystem: 'linux', architecture: 'arm64',
    },
  },
};
const gpuPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { ...simpleMeta('gpu'), namespace: 'ml', creationTimestamp: ago(30) },
  spec: {
    nodeName: 'node-2',
    overhead: { cpu: '250m', memory: '120Mi' },
    containers: [
      {
        name: 'c', image: 'i',
        resources: {
          requests: { cpu: '1', 'example.com/gpu': '1', 'hugepages-1Gi': '1Gi', 'ephemeral-storage': '1Gi' },
          limits: { cpu: '2', memory: '1Gi', 'example.com/gpu': '1', 'hugepages-1Gi': '1Gi' },
        },
      },
    ],
    initContainers: [{ name: 'i', image: 'i', resources: { requests: { cpu: '3' } } }],
  },
  status: { phase: 'Running' },
};
// Finished pods no longer use the node: not counted.
const donePod: KubeObject = {
  apiVersion: 'v1', kind: 'Pod', metadata: simpleMeta('done'),
  spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1' } } }] },
  status: { phase: 'Succeeded' },
};
// The kubelet reports about its node with the node's name as the uid.
const nodeEvent: KubeObject = {
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'node-2.x', namespace: 'default', uid: 'ne' },
  involvedObject: { kind: 'Node', name: 'node-2', uid: 'node-2' }, reason: 'NodeNotSchedulable', message: 'Node node-2 status is now: NodeNotSchedulable',
  source: { component: 'kubelet', host: 'node-2' }, firstTimestamp: ago(60), lastTimestamp: ago(60), count: 1, type: 'Normal',
};

const metricsHpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: simpleMeta('hpa2'),
  spec: {
    scaleTargetRef: { kind: 'ReplicaSet', name: 'rs', apiVersion: 'apps/v1' },
    maxReplicas: 10,
    metrics: [
      { type: 'Pods', pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } } },
      { type: 'Object', object: { metric: { name: 'requests-per-second' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main-route' }, target: { type: 'Value', value: '10k' } } },
      { type: 'Object', object: { metric: { name: 'rps' }, describedObject: { kind: 'Service', name: 's' }, target: { type: 'AverageValue', averageValue: '500m' } } },
      { type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '30' } } },
      { type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'Value', value: '100' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', target: { type: 'AverageValue', averageValue: '1Gi' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
    ],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: 'Disabled' },
    },
  },
  status: {
    currentReplicas: 2,
    desiredReplicas: 3,
    currentMetrics: [
      { type: 'Pods', pods: { metric: { name: 'packets-per-second' }, current: { averageValue: '1500m' } } },
      { type: 'Object', object: { metric: { name: 'requests-per-second' }, describedObject: { kind: 'Ingress', name: 'main-route' }, current: { value: '2k' } } },
    ],
  },
};

const defaultBackendIngress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: simpleMeta('default-only', { labels: { a: 'b' } }),
  spec: { defaultBackend: { service: { name: 'lb', port: { name: 'https' } } }, tls: [{ hosts: ['a.com', 'b.com'] }], rules: [{ host: 'nohttp.com' }] },
  status: { loadBalancer: { ingress: [{ hostname: 'z.example.com' }, { ip: '1.1.1.1' }, { ip: '1.1.1.1' }] } },
};

const multiSubsetEndpoints: KubeObject = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: simpleMeta('multi'),
  subsets: [
    { addresses: [{ ip: '1.1.1.1' }, { ip: '1.1.1.2' }] },
    { notReadyAddresses: [{ ip: '2.2.2.2' }], ports: [{ name: 'a', port: 1, protocol: 'UDP' }, { port: 2, protocol: 'SCTP' }] },
  ],
};

const CLUSTER: KubeObject[] = [
  deployment, replicaSet, oldReplicaSet, djangoPod, webPod, crashPod, job, cronJob, rc, ...rcPods, service, endpoints, endpointSlice, headless, node, lease,
  namespace, configMap, secret, serviceAccount, ingress, hpa, ...events,
  pendingPod, terminatingPod, ...pendingEvents, freshDeployment, lbService, lbEndpoints, lbEndpointSlice, indexedJob, bareNode, gpuPod, donePod, nodeEvent,
  metricsHpa, defaultBackendIngress, multiSubsetEndpoints,
];

// ---- What kubectl prints for them ----

// [kind, name, namespace, what kubectl prints]
const DESCRIBED: Array<[string, string, string, string]> = [
  [
    'Deployment',
    'django',
    'default',
    `
Name:                   django
Namespace:              default
CreationTimestamp:      Mon, 23 Nov 2026 10:48:00 +0000
Labels:                 deployment=django
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               pod=django
Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  pod=django
  Containers:
   django:
    Image:      gitumarkk/k8_django_minikube:part_4
    Port:       8000/TCP
    Host Port:  0/TCP
    Environment:
      POSTGRES_USER:      <set to the key 'user' in secret 'postgres-credentials'>      Optional: false
      POSTGRES_PASSWORD:  <set to the key 'password' in secret 'postgres-credentials'>  Optional: false
      POSTGRES_HOST:      postgres-service
      REDIS_HOST:         redis-service
    Mounts:               <none>
  Volumes:                <none>
  Node-Selectors:         <none>
  Tolerations:            <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  django-7f6c9d8b4 (0/0 replicas created)
NewReplicaSet:   django-5d8f7b9c6 (1/1 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  5m    deployment-controller  Scaled up replica set django-5d8f7b9c6 to 1
`.slice(1),
  ],
  // kubectl 1.33 on: 1.32 prints `ConfigMapOptional:  <nil>` (a Go pointer) for the projected volume.
  [
    'Pod',
    'django-5d8f7b9c6-x7k2p',
    'default',
    `
Name:             django-5d8f7b9c6-x7k2p
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/10.0.0.2
Start Time:       Mon, 23 Nov 2026 10:48:00 +0000
Labels:           pod=django
                  pod-template-hash=5d8f7b9c6
Annotations:      <none>
Status:           Running
IP:               10.244.0.5
IPs:
  IP:           10.244.0.5
Controlled By:  ReplicaSet/django-5d8f7b9c6
Containers:
  django:
    Container ID:   docker://8d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c
    Image:          gitumarkk/k8_django_minikube:part_4
    Image ID:       docker-pullable://gitumarkk/k8_django_minikube@sha256:4f8a0c6b1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a
    Port:           8000/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Mon, 23 Nov 2026 10:48:09 +0000
    Ready:          True
    Restart Count:  0
    Environment:
      POSTGRES_USER:      <set to the key 'user' in secret 'postgres-credentials'>      Optional: false
      POSTGRES_PASSWORD:  <set to the key 'password' in secret 'postgres-credentials'>  Optional: false
      POSTGRES_HOST:      postgres-service
      REDIS_HOST:         redis-service
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-9xq4z (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-9xq4z:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Scheduled  4m59s  default-scheduler  Successfully assigned default/django-5d8f7b9c6-x7k2p to node-1
  Normal  Pulled     4m55s  kubelet            Container image "gitumarkk/k8_django_minikube:part_4" already present on machine
  Normal  Created    4m54s  kubelet            Created container django
  Normal  Started    4m51s  kubelet            Started container django
`.slice(1),
  ],
  [
    'Job',
    'py',
    'default',
    `
Name:             py
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
Labels:           batch.kubernetes.io/controller-uid=2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
                  batch.kubernetes.io/job-name=py
                  controller-uid=2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
                  job-name=py
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    6
Start Time:       Mon, 23 Nov 2026 10:43:00 +0000
Completed At:     Mon, 23 Nov 2026 10:43:12 +0000
Duration:         12s
Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
           batch.kubernetes.io/job-name=py
           controller-uid=2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
           job-name=py
  Containers:
   py:
    Image:      python:3.12-slim
    Port:       <none>
    Host Port:  <none>
    Command:
      python
      -c
      print(sum(range(10)))
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age    From            Message
  ----    ------            ----   ----            -------
  Normal  SuccessfulCreate  10m    job-controller  Created pod: py-k7zq4
  Normal  Completed         9m48s  job-controller  Job completed
`.slice(1),
  ],
  [
    'Pod',
    'web',
    'default',
    `
Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/10.0.0.2
Start Time:       Mon, 23 Nov 2026 10:49:00 +0000
Labels:           app=web
                  tier=frontend
Annotations:      prometheus.io/scrape: true
Status:           Running
IP:               10.244.0.7
IPs:
  IP:  10.244.0.7
Init Containers:
  init-db:
    Container ID:  docker://1111
    Image:         busybox:1.36
    Image ID:      docker-pullable://busybox@sha256:aaaa
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      until nslookup postgres-service; do sleep 2; done
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Mon, 23 Nov 2026 10:49:02 +0000
      Finished:     Mon, 23 Nov 2026 10:49:09 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  nginx:
    Container ID:   docker://2222
    Image:          nginx:1.27
    Image ID:       docker-pullable://nginx@sha256:bbbb
    Ports:          80/TCP, 9113/TCP
    Host Ports:     0/TCP, 0/TCP
    State:          Running
      Started:      Mon, 23 Nov 2026 10:49:11 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      cpu:     500m
      memory:  256Mi
    Requests:
      cpu:      500m
      memory:   256Mi
    Liveness:   http-get http://:80/healthz delay=5s timeout=1s period=10s #success=1 #failure=3
    Readiness:  tcp-socket :80 delay=0s timeout=1s period=5s #success=1 #failure=3
    Environment Variables from:
      app-config            ConfigMap                 Optional: false
      postgres-credentials  Secret with prefix 'DB_'  Optional: false
    Environment:
      POD_NAME:      web (v1:metadata.name)
      POD_IP:         (v1:status.podIP)
      MEMORY_LIMIT:  256 (limits.memory)
      LOG_LEVEL:     <set to the key 'log-level' of config map 'app-config'>  Optional: true
    Mounts:
      /etc/nginx/conf.d from config (ro,path="nginx")
      /usr/share/nginx/html from html (rw)
  log-shipper:
    Container ID:  docker://3333
    Image:         busybox:1.36
    Image ID:      docker-pullable://busybox@sha256:aaaa
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
    Args:
      tail -F /var/log/nginx/access.log
      echo done
    State:          Running
      Started:      Mon, 23 Nov 2026 10:49:12 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      cpu:     100m
      memory:  64Mi
    Requests:
      cpu:        100m
      memory:     64Mi
    Startup:      exec [cat /tmp/ready] delay=0s timeout=1s period=10s #success=1 #failure=30
    Environment:  <none>
    Mounts:
      /data from html (ro)
Conditions:
  Type              Status
  Initialized       True 
  Ready             True 
  ContainersReady   True 
  PodScheduled      True 
Volumes:
  html:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      app-config
    Optional:  false
  certs:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  web-tls
    Optional:    true
  host-logs:
    Type:          HostPath (bare host directory volume)
    Path:          /var/log
    HostPathType:  Directory
QoS Class:         Burstable
Node-Selectors:    kubernetes.io/os=linux
Tolerations:       op=Exists
                   dedicated=web:NoSchedule
Events:
  Type     Reason     Age                    From               Message
  ----     ------     ----                   ----               -------
  Normal   Scheduled  4m                     default-scheduler  Successfully assigned default/web to node-1
  Warning  Unhealthy  3m45s (x3 over 3m55s)  kubelet            Readiness probe failed: dial tcp 10.244.0.7:80: connect: connection refused
`.slice(1),
  ],
  [
    'Pod',
    'crasher',
    'default',
    `
Name:             crasher
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/10.0.0.2
Start Time:       Mon, 23 Nov 2026 10:47:30 +0000
Labels:           run=crasher
Annotations:      <none>
Status:           Running
IP:               10.244.0.9
IPs:
  IP:  10.244.0.9
Containers:
  crasher:
    Container ID:  docker://4444
    Image:         busybox:1.36
    Image ID:      docker-pullable://busybox@sha256:aaaa
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo starting; exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Mon, 23 Nov 2026 10:51:25 +0000
      Finished:     Mon, 23 Nov 2026 10:51:25 +0000
    Ready:          False
    Restart Count:  5
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:            <none>
QoS Class:          BestEffort
Node-Selectors:     <none>
Tolerations:        <none>
Events:
  Type     Reason     Age                   From               Message
  ----     ------     ----                  ----               -------
  Normal   Scheduled  5m30s                 default-scheduler  Successfully assigned default/crasher to node-1
  Normal   Pulled     95s (x6 over 5m28s)   kubelet            Container image "busybox:1.36" already present on machine
  Warning  BackOff    10s (x25 over 5m20s)  kubelet            Back-off restarting failed container crasher in pod crasher_default(5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c)
`.slice(1),
  ],
  [
    'ReplicaSet',
    'django-5d8f7b9c6',
    'default',
    `
Name:           django-5d8f7b9c6
Namespace:      default
Selector:       pod=django,pod-template-hash=5d8f7b9c6
Labels:         pod=django
                pod-template-hash=5d8f7b9c6
Annotations:    deployment.kubernetes.io/desired-replicas: 1
                deployment.kubernetes.io/max-replicas: 2
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/django
Replicas:       1 current / 1 desired
Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  pod=django
           pod-template-hash=5d8f7b9c6
  Containers:
   django:
    Image:      gitumarkk/k8_django_minikube:part_4
    Port:       8000/TCP
    Host Port:  0/TCP
    Environment:
      POSTGRES_USER:      <set to the key 'user' in secret 'postgres-credentials'>      Optional: false
      POSTGRES_PASSWORD:  <set to the key 'password' in secret 'postgres-credentials'>  Optional: false
      POSTGRES_HOST:      postgres-service
      REDIS_HOST:         redis-service
    Mounts:               <none>
  Volumes:                <none>
  Node-Selectors:         <none>
  Tolerations:            <none>
Events:
  Type    Reason            Age   From                   Message
  ----    ------            ----  ----                   -------
  Normal  SuccessfulCreate  5m    replicaset-controller  Created pod: django-5d8f7b9c6-x7k2p
`.slice(1),
  ],
  [
    'ReplicationController',
    'nginx-rc',
    'default',
    `
Name:         nginx-rc
Namespace:    default
Selector:     app=nginx
Labels:       app=nginx
Annotations:  <none>
Replicas:     2 current / 2 desired
Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx:1.27
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`.slice(1),
  ],
  [
    'CronJob',
    'hello',
    'default',
    `
Name:                          hello
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      */5 * * * *
Concurrency Policy:            Forbid
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     100s
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
Active Deadline Seconds:       60s
Pod Template:
  Labels:  <none>
  Containers:
   hello:
    Image:      busybox:1.36
    Port:       <none>
    Host Port:  <none>
    Command:
      sh
      -c
      date; echo Hello
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
  Node-Selectors:    <none>
  Tolerations:       <none>
Last Schedule Time:  Mon, 23 Nov 2026 10:50:00 +0000
Active Jobs:         hello-29400000
Events:              <none>
`.slice(1),
  ],
  [
    'Service',
    'django-service',
    'default',
    `
Name:                     django-service
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 pod=django
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.12.34
IPs:                      10.96.12.34
Port:                     <unset>  8000/TCP
TargetPort:               8000/TCP
NodePort:                 <unset>  30080/TCP
Endpoints:                10.244.0.5:8000
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
`.slice(1),
  ],
  [
    'Service',
    'postgres',
    'default',
    `
Name:              postgres
Namespace:         default
Labels:            app=postgres
Annotations:       note: headless
Selector:          app=postgres
Type:              ClusterIP
IP Families:       <none>
IP:                None
IPs:               None
Port:              pg  5432/TCP
TargetPort:        pg/TCP
Endpoints:         <none>
Session Affinity:  None
Events:            <none>
`.slice(1),
  ],
  [
    'Endpoints',
    'django-service',
    'default',
    `
Name:         django-service
Namespace:    default
Labels:       endpoints.kubernetes.io/managed-by=endpoint-controller
Annotations:  <none>
Subsets:
  Addresses:          10.244.0.5
  NotReadyAddresses:  10.244.0.6
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    <unset>  8000  TCP

Events:  <none>
`.slice(1),
  ],
  [
    'Node',
    'node-1',
    'default',
    `
Name:               node-1
Roles:              control-plane
Labels:             kubernetes.io/arch=amd64
                    kubernetes.io/hostname=node-1
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/control-plane=
Annotations:        node.alpha.kubernetes.io/ttl: 0
                    volumes.kubernetes.io/controller-managed-attach-detach: true
CreationTimestamp:  Fri, 20 Nov 2026 10:53:00 +0000
Taints:             dedicated=web:NoExecute
                    node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  node-1
  AcquireTime:     <unset>
  RenewTime:       Mon, 23 Nov 2026 10:52:55 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Mon, 23 Nov 2026 10:52:40 +0000   Fri, 20 Nov 2026 10:53:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Mon, 23 Nov 2026 10:52:40 +0000   Fri, 20 Nov 2026 10:53:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Mon, 23 Nov 2026 10:52:40 +0000   Fri, 20 Nov 2026 10:53:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Mon, 23 Nov 2026 10:52:40 +0000   Fri, 20 Nov 2026 10:53:30 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  10.0.0.2
  Hostname:    node-1
Capacity:
  cpu:                2
  ephemeral-storage:  61255492Ki
  hugepages-2Mi:      0
  memory:             4025836Ki
  pods:               110
Allocatable:
  cpu:                2
  ephemeral-storage:  56453061334
  hugepages-2Mi:      0
  memory:             3923436Ki
  pods:               110
System Info:
  Machine ID:                 f1e2d3c4b5a697887766554433221100
  System UUID:                f1e2d3c4-b5a6-9788-7766-554433221100
  Boot ID:                    0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d
  Kernel Version:             6.1.0-18-amd64
  OS Image:                   Debian GNU/Linux 12 (bookworm)
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  docker://20.10.24
  Kubelet Version:            v1.30.0-kctl
  Kube-Proxy Version:         v1.30.0-kctl
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (5 in total)
  Namespace                   Name                      CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                      ------------  ----------  ---------------  -------------  ---
  default                     django-5d8f7b9c6-x7k2p    0 (0%)        0 (0%)      0 (0%)           0 (0%)         5m
  default                     web                       600m (30%)    600m (30%)  320Mi (8%)       320Mi (8%)     4m
  default                     crasher                   0 (0%)        0 (0%)      0 (0%)           0 (0%)         5m30s
  default                     nginx-rc-4xk9p            250m (12%)    0 (0%)      100M (2%)        0 (0%)         2m
  default                     stray-nginx               250m (12%)    0 (0%)      100M (2%)        0 (0%)         2m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests         Limits
  --------           --------         ------
  cpu                1100m (55%)      600m (30%)
  memory             535544320 (13%)  320Mi (8%)
  ephemeral-storage  0 (0%)           0 (0%)
  hugepages-2Mi      0 (0%)           0 (0%)
Events:              <none>
`.slice(1),
  ],
  [
    'Namespace',
    'default',
    'default',
    `
Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
`.slice(1),
  ],
  // Keys sorted, as current kubectl sorts them; 1.32 prints them in Go's random map order.
  [
    'ConfigMap',
    'app-config',
    'default',
    `
Name:         app-config
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
APP_ENV:
----
production

log-level:
----
info

settings.py:
----
DEBUG = False
ALLOWED_HOSTS = ["*"]



BinaryData
====
logo.png: 70 bytes

Events:  <none>
`.slice(1),
  ],
  // Keys sorted, as current kubectl sorts them; 1.32 prints them in Go's random map order.
  [
    'Secret',
    'postgres-credentials',
    'default',
    `
Name:         postgres-credentials
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  11 bytes
user:      5 bytes
`.slice(1),
  ],
  [
    'ServiceAccount',
    'builder',
    'default',
    `
Name:                builder
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred (not found)
                     regcred-2 (not found)
Mountable secrets:   builder-token (not found)
Tokens:              <none>
Events:              <none>
`.slice(1),
  ],
  [
    'Ingress',
    'django-ingress',
    'default',
    `
Name:             django-ingress
Labels:           <none>
Namespace:        default
Address:          10.0.0.2
Ingress Class:    nginx
Default backend:  <default>
TLS:
  django-tls terminates django.local
Rules:
  Host          Path  Backends
  ----          ----  --------
  django.local  
                /         django-service:8000 (10.244.0.5:8000)
                /static   static:http (<error: services "static" not found>)
Annotations:    nginx.ingress.kubernetes.io/rewrite-target: /
Events:         <none>
`.slice(1),
  ],
  [
    'HorizontalPodAutoscaler',
    'django',
    'default',
    `
Name:                                                  django
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Mon, 23 Nov 2026 10:48:50 +0000
Reference:                                             Deployment/django
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  12% (12m) / 80%
  resource memory on pods:                             104857600 / 200Mi
Min replicas:                                          1
Max replicas:                                          5
Behavior:
  Scale Down:
    Stabilization Window: 300 seconds
    Select Policy: Max
    Policies:
      - Type: Percent  Value: 100  Period: 15 seconds
Deployment pods:       1 current / 1 desired
Conditions:
  Type           Status  Reason            Message
  ----           ------  ------            -------
  AbleToScale    True    ReadyForNewScale  recommended size matches current size
  ScalingActive  True    ValidMetricFound  the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
Events:          <none>
`.slice(1),
  ],
  [
    'Lease',
    'node-1',
    'kube-node-lease',
    `
Name:         node-1
Namespace:    kube-node-lease
Labels:       <none>
Annotations:  <none>
API Version:  coordination.k8s.io/v1
Kind:         Lease
Metadata:
  Creation Timestamp:  2026-11-20T10:53:00Z
  Owner References:
    API Version:     v1
    Kind:            Node
    Name:            node-1
    UID:             a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d
  Resource Version:  3100
  UID:               l1
Spec:
  Holder Identity:         node-1
  Lease Duration Seconds:  40
  Renew Time:              2026-11-23T10:52:55.123456Z
Events:                    <none>
`.slice(1),
  ],
  [
    'Event',
    'cr.3',
    'default',
    `
Name:             cr.3
Namespace:        default
Labels:           <none>
Annotations:      <none>
API Version:      v1
Count:            25
Event Time:       <nil>
First Timestamp:  2026-11-23T10:47:40Z
Involved Object:
  API Version:       v1
  Field Path:        spec.containers{crasher}
  Kind:              Pod
  Name:              crasher
  Namespace:         default
  Resource Version:  1600
  UID:               5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c
Kind:                Event
Last Timestamp:      2026-11-23T10:52:50Z
Message:             Back-off restarting failed container crasher in pod crasher_default(5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c)
Metadata:
  Creation Timestamp:  2026-11-23T10:47:40Z
  Resource Version:    900
  UID:                 ev-cr.3
Reason:                BackOff
Reporting Component:   kubelet
Reporting Instance:    node-1
Source:
  Component:  kubelet
  Host:       node-1
Type:         Warning
Events:       <none>
`.slice(1),
  ],
  [
    'Pod',
    'pending',
    'default',
    `
Name:                 pending
Namespace:            default
Priority:             1000
Priority Class Name:  high
Runtime Class Name:   runc
Node:                 <none>
Labels:               app=x
                      empty=
Annotations:          esc: bell^[[31mred\\r
                      long:
                        aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...
                      multi:
                        line one
                        line two
Status:               Pending
Reason:               Unschedulable
Message:              0/1 nodes are available
SeccompProfile:       RuntimeDefault
IP:                   
IPs:                  <none>
NominatedNodeName:    node-2
Init Containers:
  sidecar:
    Image:      envoy
    Port:       <none>
    Host Port:  <none>
    Limits:
      memory:  128Mi
    Requests:
      cpu:        100m
    Environment:  <none>
    Mounts:       <none>
  migrate:
    Image:      m
    Port:       <none>
    Host Port:  <none>
    Requests:
      cpu:        2
      memory:     64Mi
    Environment:  <none>
    Mounts:       <none>
Containers:
  app:
    Image:               nginx
    Port:                <none>
    Host Port:           <none>
    SeccompProfile:      Localhost
      LocalhostProfile:  prof.json
    Requests:
      cpu:      1500m
      memory:   1Gi
    Liveness:   grpc <pod>:9000 health delay=0s timeout=0s period=3s #success=0 #failure=0
    Readiness:  http-get https://[fe80::1]:http/ready%3Fx=1%20y delay=0s timeout=0s period=3s #success=0 #failure=0
    Environment:
      MULTI:  a
              b
              c
      NS:     default (:metadata.namespace)
      CPU:    node allocatable (limits.cpu)
      REQ:    1500 (requests.cpu)
      MEM:    1024 (requests.memory)
    Mounts:   <none>
    Devices:  <none>
      /dev/xvda from blk
Ephemeral Containers:
  debugger:
    Image:        busybox
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Readiness Gates:
  Type                  Status
  example.com/feature   True 
  other                 <none> 
Conditions:
  Type                  Status
  PodScheduled          False 
  example.com/feature   True 
Volumes:
  dapi:
    Type:  DownwardAPI (a volume populated by information about the pod)
    Items:
      metadata.labels -> labels
      limits.cpu -> cpu
  data:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  data-pvc
    ReadOnly:   false
  nfs:
    Type:      NFS (an NFS mount that lasts the lifetime of a pod)
    Server:    nfs.local
    Path:      /exports
    ReadOnly:  true
  mem:
    Type:                     EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:                   Memory
    SizeLimit:                512Mi
QoS Class:                    Burstable
Node-Selectors:               <none>
Tolerations:                  <none>
Topology Spread Constraints:  kubernetes.io/hostname:ScheduleAnyway when max skew 2 is exceeded
                              zone:DoNotSchedule when max skew 1 is exceeded for selector app=x,tier in (a,b)
Events:
  Type     Reason            Age                  From               Message
  ----     ------            ----                 ----               -------
  Warning  FailedScheduling  50s (x4 over 3m)     default-scheduler  0/1 nodes are available: 1 Insufficient cpu.
  Normal   Ancient           3d5h (x2 over 400d)  x                  msg
  Normal   Old               61m (x40 over 120m)  kubelet            first
`.slice(1),
  ],
  [
    'Pod',
    'terminating',
    'default',
    `
Name:                      terminating
Namespace:                 default
Node:                      node-3/10.0.0.2
Start Time:                Mon, 23 Nov 2026 10:51:20 +0000
Labels:                    <none>
Annotations:               <none>
Status:                    Terminating (lasts 5s)
Termination Grace Period:  30s
IP:                        10.244.0.9
IPs:                       <none>
Controlled By:             Job/j
Containers:
  c:
    Container ID:   docker://9
    Image:          i
    Image ID:       
    Port:           53/UDP
    Host Port:      53/UDP
    State:          Terminated
      Reason:       OOMKilled
      Message:      out of memory
      Exit Code:    137
      Signal:       9
      Started:      Mon, 23 Nov 2026 10:51:30 +0000
      Finished:     Mon, 23 Nov 2026 10:52:58 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Volumes:            <none>
QoS Class:          BestEffort
Node-Selectors:     <none>
Tolerations:        <none>
Events:             <none>
`.slice(1),
  ],
  [
    'Deployment',
    'fresh',
    'default',
    `
Name:               fresh
Namespace:          default
CreationTimestamp:  Mon, 23 Nov 2026 10:51:20 +0000
Labels:             <none>
Annotations:        <none>
Selector:           app=fresh,!canary,env notin (dev,prod)
Replicas:           3 desired | 0 updated | 0 total | 0 available | 3 unavailable
StrategyType:       Recreate
MinReadySeconds:    5
Pod Template:
  Labels:           app=fresh
  Annotations:      a.b/c: d
  Service Account:  builder
  Init Containers:
   init:
    Image:        busybox
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
  Containers:
   c:
    Image:      i
    Port:       <none>
    Host Port:  <none>
    Limits:
      cpu:     2
      memory:  2Gi
    Environment:
      POD:    (v1:metadata.name)
    Mounts:  <none>
  Volumes:
   v:
    Type:               EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:             
    SizeLimit:          <unset>
  Priority Class Name:  high
  Node-Selectors:       disk=ssd
  Tolerations:          k=v:NoSchedule
Events:                 <none>
`.slice(1),
  ],
  [
    'Service',
    'lb',
    'default',
    `
Name:                        lb
Namespace:                   default
Labels:                      <none>
Annotations:                 <none>
Selector:                    app=lb
Type:                        LoadBalancer
IP Family Policy:            PreferDualStack
IP Families:                 IPv4,IPv6
IP:                          10.96.0.50
IPs:                         10.96.0.50,fd00::50
External IPs:                1.2.3.4
Desired LoadBalancer IP:     5.6.7.8
LoadBalancer Ingress:        9.9.9.9 (VIP), lb.example.com
Port:                        http  80/TCP
TargetPort:                  web/TCP
NodePort:                    http  31000/TCP
Endpoints:                   10.244.1.1:8080,10.244.1.2:8080,10.244.1.3:8080 + 2 more...
Port:                        https  443/TCP
TargetPort:                  8443/TCP
NodePort:                    https  31001/TCP
Endpoints:                   10.244.1.1:8443,10.244.1.2:8443,10.244.1.3:8443 + 2 more...
Session Affinity:            ClientIP
External Traffic Policy:     Local
Internal Traffic Policy:     Local
HealthCheck NodePort:        32000
LoadBalancer Source Ranges:  10.0.0.0/8,192.168.0.0/16
Events:                      <none>
`.slice(1),
  ],
  [
    'Job',
    'indexed',
    'default',
    `
Name:                        indexed
Namespace:                   default
Selector:                    batch.kubernetes.io/controller-uid=uid-indexed
Labels:                      <none>
Annotations:                 <none>
Controlled By:               CronJob/hello
Parallelism:                 3
Completions:                 100
Completion Mode:             Indexed
Backoff Limit:               1
TTL Seconds After Finished:  100
Start Time:                  Mon, 23 Nov 2026 09:46:20 +0000
Active Deadline Seconds:     600s
Pods Statuses:               3 Active / 40 Succeeded / 2 Failed
Completed Indexes:           0-9,11,13-20,22,24,26,28,30,32,34,36,38,40,42,44,46,...
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=uid-indexed
  Containers:
   w:
    Image:      w
    Port:       <none>
    Host Port:  <none>
    Args:
      --index
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`.slice(1),
  ],
  [
    'Node',
    'node-2',
    'default',
    `
Name:               node-2
Roles:              gpu,worker
Labels:             kubernetes.io/role=worker
                    node-role.kubernetes.io/=x
                    node-role.kubernetes.io/gpu=
Annotations:        <none>
CreationTimestamp:  Mon, 23 Nov 2026 08:53:00 +0000
Taints:             <none>
Unschedulable:      true
Lease:              Failed to get lease: leases.coordination.k8s.io "node-2" not found
Addresses:
  InternalIP:  10.0.0.3
Capacity:
  cpu:              4
  example.com/gpu:  2
  hugepages-1Gi:    2Gi
  memory:           8Gi
  pods:             110
Allocatable:
  cpu:                3500m
  ephemeral-storage:  10Gi
  example.com/gpu:    2
  hugepages-1Gi:      2Gi
  memory:             7Gi
  pods:               110
System Info:
  Machine ID:                 m
  System UUID:                s
  Boot ID:                    b
  Kernel Version:             k
  OS Image:                   o
  Operating System:           linux
  Architecture:               arm64
  Container Runtime Version:  docker://20.10
  Kubelet Version:            v1.30.0
  Kube-Proxy Version:         
ProviderID:                   kctl://node-2
Non-terminated Pods:          (1 in total)
  Namespace                   Name    CPU Requests  CPU Limits   Memory Requests  Memory Limits  Age
  ---------                   ----    ------------  ----------   ---------------  -------------  ---
  ml                          gpu     3250m (92%)   2250m (64%)  120Mi (1%)       1144Mi (15%)   30s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests     Limits
  --------           --------     ------
  cpu                3250m (92%)  2250m (64%)
  memory             120Mi (1%)   1144Mi (15%)
  ephemeral-storage  1Gi (10%)    0 (0%)
  hugepages-1Gi      1Gi (50%)    1Gi (50%)
  example.com/gpu    1            1
Events:
  Type    Reason              Age   From     Message
  ----    ------              ----  ----     -------
  Normal  NodeNotSchedulable  60s   kubelet  Node node-2 status is now: NodeNotSchedulable
`.slice(1),
  ],
  [
    'HorizontalPodAutoscaler',
    'hpa2',
    'default',
    `
Name:                                                                     hpa2
Namespace:                                                                default
Labels:                                                                   <none>
Annotations:                                                              <none>
CreationTimestamp:                                                        Mon, 23 Nov 2026 10:51:20 +0000
Reference:                                                                ReplicaSet/rs
Metrics:                                                                  ( current / target )
  "packets-per-second" on pods:                                           1500m / 1k
  "requests-per-second" on Ingress/main-route (target value):             2k / 10k
  "rps" on Service/s (target average value):                              <unknown> / 500m
  "queue_messages_ready" (target average value):                          <unknown> / 30
  "queue_depth" (target value):                                           <unknown> / 100
  resource cpu of container "app" on pods  (as a percentage of request):  <unknown> / 60%
  resource memory of container "app" on pods:                             <unknown> / 1Gi
  resource cpu on pods  (as a percentage of request):                     <unknown> / <auto>
Min replicas:                                                             <unset>
Max replicas:                                                             10
Behavior:
  Scale Up:
    Stabilization Window: 0 seconds
    Select Policy: Max
    Policies:
      - Type: Pods     Value: 4    Period: 15 seconds
      - Type: Percent  Value: 100  Period: 15 seconds
  Scale Down:
ReplicaSet pods:  2 current / 3 desired
Events:           <none>
`.slice(1),
  ],
  [
    'Ingress',
    'default-only',
    'default',
    `
Name:             default-only
Labels:           a=b
Namespace:        default
Address:          1.1.1.1,z.example.com
Ingress Class:    <none>
Default backend:  lb:https (10.244.1.1:8443,10.244.1.2:8443,10.244.1.3:8443 + 2 more...)
TLS:
  SNI routes a.com,b.com
Rules:
  Host        Path  Backends
  ----        ----  --------
  *           *     lb:https (10.244.1.1:8443,10.244.1.2:8443,10.244.1.3:8443 + 2 more...)
Annotations:  <none>
Events:       <none>
`.slice(1),
  ],
  [
    'Endpoints',
    'multi',
    'default',
    `
Name:         multi
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          1.1.1.1,1.1.1.2
  NotReadyAddresses:  <none>

  Addresses:          <none>
  NotReadyAddresses:  2.2.2.2
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    a        1     UDP
    <unset>  2     SCTP

Events:  <none>
`.slice(1),
  ],
];

const GENERIC_WIDGET = `
Name:         widget
Namespace:    default
Labels:       app=w
Annotations:  <none>
API Version:  example.com/v1
Kind:         Widget
Metadata:
  Creation Timestamp:  2026-11-23T10:00:00Z
  UID:                 w1
Spec:
  HTTP Get:
    Host:  <nil>
    Port:  80
  Big:     1.2345675e+06
  Empty:
  Enabled:  true
  Items:
    Name:  a
    Name:  b
    Tags:
      K:       v
  My - Field:  v
  Nested:
    [1 2]
    [3]
  OSB URL:  u
  Pod I Ps:
    10.0.0.1
    10.0.0.2
  Ratio:          0.5
  Replica Count:  2
  Tiny:           1e-05
  x.y:            1
Events:           <none>
`.slice(1);

// ---- A stand-in for the API server: what the describe command would fetch. ----

/** Lists as the server does, with its own label and field selector semantics. */
function list(req: RelatedRequest): KubeObject[] {
  const kind = resolveResource(req.resource)?.kind;
  assert.ok(kind, `unknown resource ${req.resource}`);
  const labels = parseLabelSelector(req.labelSelector ?? '');
  const fields = fieldSelectorMatcher(req.fieldSelector ?? '', fieldGetterFor(kind));
  return CLUSTER.filter(
    (o) => o.kind === kind && (!req.namespace || o.metadata.namespace === req.namespace) && labels.matches(o.metadata.labels) && fields(o),
  );
}

/** Fetches what `kctl describe` fetches (the object's events by uid, and the related lists), then describes. */
function describe(kind: string, name: string, namespace = 'default'): string {
  const obj = CLUSTER.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? namespace) === namespace);
  assert.ok(obj, `no ${kind} ${name}`);
  const describer = describerFor(kind);
  const related: Record<string, KubeObject[]> = {};
  for (const req of describer.related?.(obj) ?? []) related[req.name] = list(req);
  const events = list({ name: 'events', resource: 'events', fieldSelector: `involvedObject.uid=${obj.metadata.uid}` });
  return describer.describe(obj, { now: NOW, events, related });
}

// ---- Tests ----

test('prints what kubectl describe prints', async (t) => {
  for (const [kind, name, namespace, expected] of DESCRIBED) {
    await t.test(`${kind} ${name}`, () => assert.equal(describe(kind, name, namespace), expected));
  }
});

test('a kind without a describer of its own gets every field, as kubectl generic describer prints them', () => {
  const widget: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'widget', namespace: 'default', uid: 'w1', creationTimestamp: '2026-11-23T10:00:00Z', labels: { app: 'w' } },
    spec: {
      replicaCount: 2, podIPs: ['10.0.0.1', '10.0.0.2'], HTTPGet: { port: 80, host: null }, ratio: 0.5, big: 1234567.5, tiny: 0.00001,
      'x.y': 1, 'my-field': 'v', osbURL: 'u', enabled: true, nested: [[1, 2], [3]], items: [{ name: 'a' }, { name: 'b', tags: { k: 'v' } }], empty: {},
    },
  };
  assert.equal(describerFor('Widget').describe(widget, { now: NOW, events: [], related: {} }), GENERIC_WIDGET);
});

test('asks for what kubectl fetches besides the object', () => {
  const cases: Array<[KubeObject, RelatedRequest[]]> = [
    [deployment, [{ name: 'replicasets', resource: 'replicasets', namespace: 'default', labelSelector: 'pod=django' }]],
    [freshDeployment, [{ name: 'replicasets', resource: 'replicasets', namespace: 'default', labelSelector: 'app=fresh,!canary,env notin (dev,prod)' }]],
    [replicaSet, [{ name: 'pods', resource: 'pods', namespace: 'default', labelSelector: 'pod=django,pod-template-hash=5d8f7b9c6' }]],
    [rc, [{ name: 'pods', resource: 'pods', namespace: 'default', labelSelector: 'app=nginx' }]],
    [service, [{ name: 'endpointslices', resource: 'endpointslices', namespace: 'default', labelSelector: 'kubernetes.io/service-name=django-service' }]],
    [
      node,
      [
        { name: 'pods', resource: 'pods', fieldSelector: 'spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed' },
        { name: 'leases', resource: 'leases', namespace: 'kube-node-lease', fieldSelector: 'metadata.name=node-1' },
        { name: 'eventsByName', resource: 'events', fieldSelector: 'involvedObject.uid=node-1' },
      ],
    ],
    [
      ingress,
      [
        { name: 'services', resource: 'services', namespace: 'default' },
        { name: 'endpoints', resource: 'endpoints', namespace: 'default' },
      ],
    ],
    [serviceAccount, [{ name: 'secrets', resource: 'secrets', namespace: 'default' }]],
  ];
  for (const [obj, expected] of cases) assert.deepEqual(describerFor(obj.kind!).related?.(obj), expected, obj.kind);
  for (const kind of ['Pod', 'Job', 'ConfigMap', 'Secret', 'Lease']) assert.equal(describerFor(kind).related, undefined, kind);
});

test('aligns tab-separated cells as Go text/tabwriter does', () => {
  const cases: Array<[string, string, string]> = [
    ['labels align on the widest, plus two spaces', 'a:\tb\nlong label:\tc\n', 'a:           b\nlong label:  c\n'],
    ['a line without a tab ends the column', 'a:\t1\nSection:\nlonger:\t2\n', 'a:  1\nSection:\nlonger:  2\n'],
    ['empty cells are padded, the last cell is not', 'x\t\ty\nxx\tz\tw\n', 'x      y\nxx  z  w\n'],
    ['a column spans only the lines that reach it', 'a\tb\tc\naa\tb\n', 'a   b  c\naa  b\n'],
    ['widths count characters, not bytes', 'éé:\t1\nabc:\t2\n', 'éé:   1\nabc:  2\n'],
  ];
  for (const [why, input, expected] of cases) assert.equal(tabbed((w) => w.write(LEVEL_0, input)), expected, why);
});

test('ages events, counting repeats and series', () => {
  const at = (seconds: number) => ago(seconds);
  const cases: Array<[Partial<KubeObject>, string]> = [
    [{ firstTimestamp: at(10), lastTimestamp: at(10), count: 1 }, '10s'],
    [{ firstTimestamp: at(300), lastTimestamp: at(120), count: 3 }, '2m (x3 over 5m)'],
    [{ eventTime: '2026-11-23T10:50:00.000000Z', series: { count: 4, lastObservedTime: '2026-11-23T10:52:10.000000Z' } }, '50s (x4 over 3m)'],
    [{ eventTime: '2026-11-23T10:52:30.000000Z' }, '30s'],
    [{}, '<unknown>'],
  ];
  for (const [fields, expected] of cases) {
    const e: KubeObject = { metadata: { name: 'e' }, type: 'Normal', reason: 'R', source: { component: 'c' }, message: 'm', ...fields };
    const row = tabbed((w) => writeEvents(w, [e], NOW)).split('\n')[3];
    // Cells are at least two spaces apart; an age has single spaces only.
    assert.deepEqual(row.trim().split(/ {2,}/), ['Normal', 'R', expected, 'c', 'm'], expected);
  }
  assert.equal(tabbed((w) => writeEvents(w, [], NOW)), 'Events:  <none>\n');
});

test('describe namespace: quotas as kubectl 1.27-1.33 print them (indented two, one table, scopes with their help)', () => {
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } }, status: { phase: 'Active' } };
  const quota = (name: string, hard: Record<string, string>, used: Record<string, string>, scopes?: string[]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name, namespace: 'default' },
    spec: { hard, ...(scopes ? { scopes } : {}) },
    status: { hard, used },
  });
  const related = {
    resourcequotas: [
      quota('scoped', { pods: '5' }, { pods: '0' }, ['NotTerminating', 'BestEffort']),
      quota('mem', { 'limits.memory': '2Gi', pods: '10', 'requests.cpu': '2', 'requests.memory': '1G' }, { 'limits.memory': '514572800', pods: '2', 'requests.cpu': '1750m', 'requests.memory': '234217728' }),
    ],
    limitranges: [],
  };
  // What the real kubectl 1.32 printed for the same objects.
  assert.equal(
    describerFor('Namespace').describe(ns, { now: NOW, events: [], related }),
    [
      'Name:         default',
      'Labels:       kubernetes.io/metadata.name=default',
      'Annotations:  <none>',
      'Status:       Active',
      '',
      'Resource Quotas',
      '  Name:            mem',
      '  Resource         Used       Hard',
      '  --------         ---        ---',
      '  limits.memory    514572800  2Gi',
      '  pods             2          10',
      '  requests.cpu     1750m      2',
      '  requests.memory  234217728  1G',
      '  Name:            scoped',
      '  Scopes:          BestEffort, NotTerminating',
      '  * Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
      '  * Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
      '  Resource  Used  Hard',
      '  --------  ---   ---',
      '  pods      0     5',
      '',
      'No LimitRange resource.',
      '',
    ].join('\n'),
  );
});
