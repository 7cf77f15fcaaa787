// One valid object of every served kind, as a user would write it: what the fuzz test mutates.
import type { KubeObject } from '../../src/api/types.js';
import { generateKeyPairSync } from 'node:crypto';
import { createCertificateRequest } from '../../src/api/pki/certificate-request.js';

let csrPem = '';

/** Makes what the fixtures need that takes time to make (a CSR's key pair); call once before using them. */
export async function prepareKindFixtures(): Promise<void> {
  csrPem ||= createCertificateRequest(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, 'system:node:node-1', ['system:nodes']);
}

const podSpec = () => ({ containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } } }] });
const template = () => ({ metadata: { labels: { app: 'web' } }, spec: podSpec() });

export const KIND_FIXTURES: Record<string, () => KubeObject> = {
  Namespace: () => ({ metadata: { name: 'team', labels: { tier: 'a' } } }),
  Node: () => ({ metadata: { name: 'node-1', labels: { zone: 'a' } }, spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }, status: { capacity: { cpu: '2', memory: '1Gi', pods: '110' } } }),
  Pod: () => ({ metadata: { name: 'web', labels: { app: 'web' } }, spec: podSpec() }),
  Service: () => ({ metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }),
  Endpoints: () => ({ metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }),
  ConfigMap: () => ({ metadata: { name: 'conf' }, data: { key: 'value' } }),
  Secret: () => ({ metadata: { name: 'creds' }, data: { user: 'YWRtaW4=' }, stringData: { password: 's3cret' } }),
  ServiceAccount: () => ({ metadata: { name: 'robot' } }),
  Event: () => ({ metadata: { name: 'ev1' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Started', message: 'ok', type: 'Normal', count: 1 }),
  ReplicationController: () => ({ metadata: { name: 'web' }, spec: { replicas: 2, selector: { app: 'web' }, template: template() } }),
  Deployment: () => ({ metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template() } }),
  ReplicaSet: () => ({ metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template() } }),
  Job: () => ({ metadata: { name: 'once' }, spec: { backoffLimit: 2, template: { spec: { ...podSpec(), restartPolicy: 'Never' } } } }),
  CronJob: () => ({ metadata: { name: 'tick' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: 'OnFailure' } } } } } }),
  EndpointSlice: () => ({ metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80, protocol: 'TCP' }] }),
  Ingress: () => ({ metadata: { name: 'web' }, spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } }),
  HorizontalPodAutoscaler: () => ({ metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } }),
  CertificateSigningRequest: () => ({
    metadata: { name: 'node-csr-1' },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] },
  }),
  Lease: () => ({ metadata: { name: 'lock' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } }),
  Role: () => ({ metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'], resourceNames: ['web'] }] }),
  ClusterRole: () => ({
    metadata: { name: 'system:widgets', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
    rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['*'] }, { nonResourceURLs: ['/logs/*'], verbs: ['get'] }],
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: 'a' } }] },
  }),
  RoleBinding: () => ({
    metadata: { name: 'read-pods' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }, { kind: 'ServiceAccount', name: 'robot', namespace: 'default' }],
  }),
  ClusterRoleBinding: () => ({
    metadata: { name: 'viewers' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'viewers' }],
  }),
  StatefulSet: () => ({
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  }),
  DaemonSet: () => ({ metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } }),
  ControllerRevision: () => ({ metadata: { name: 'web-5d8f7c' }, revision: 1, data: { spec: { template: template() } } }),
  PersistentVolume: () => ({
    metadata: { name: 'pv-1' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/var/lib/kctl/pv-1' } },
  }),
  PersistentVolumeClaim: () => ({ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }),
  ResourceQuota: () => ({ metadata: { name: 'compute' }, spec: { hard: { pods: '10', 'requests.cpu': '2' } } }),
  LimitRange: () => ({ metadata: { name: 'defaults' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }] } }),
  StorageClass: () => ({ metadata: { name: 'fast' }, provisioner: 'example.com/fast', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' }),
  PodDisruptionBudget: () => ({ metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } }),
  PriorityClass: () => ({ metadata: { name: 'high' }, value: 1000, description: 'important' }),
  NetworkPolicy: () => ({
    metadata: { name: 'allow-web' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 80 }] }] },
  }),
  CustomResourceDefinition: () => ({
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }],
    },
  }),
};
