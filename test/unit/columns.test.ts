import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFor } from '../../src/api/printers/columns.js';
import { toTable } from '../../src/api/printers/table.js';
import { resolveResource } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const meta = (name: string, extra: object = {}) => ({ name, namespace: 'default', creationTimestamp: ago(300), ...extra });

function headers(group: string, kind: string): string[] {
  return columnsFor(group, kind).columns.map((c) => (c.priority ? `(${c.name})` : c.name));
}

function cells(group: string, kind: string, obj: Omit<KubeObject, 'kind'>): unknown[] {
  return columnsFor(group, kind).cells({ kind, ...obj } as KubeObject, NOW);
}

test('every kind has kubectl column names, wide ones at priority 1', () => {
  const cases: [string, string, string[]][] = [
    ['', 'Pod', ['Name', 'Ready', 'Status', 'Restarts', 'Age', '(IP)', '(Node)', '(Nominated Node)', '(Readiness Gates)']],
    ['apps', 'Deployment', ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', '(Containers)', '(Images)', '(Selector)']],
    ['apps', 'DaemonSet', ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', '(Containers)', '(Images)', '(Selector)']],
    ['apps', 'StatefulSet', ['Name', 'Ready', 'Age', '(Containers)', '(Images)']],
    ['apps', 'ReplicaSet', ['Name', 'Desired', 'Current', 'Ready', 'Age', '(Containers)', '(Images)', '(Selector)']],
    ['', 'ReplicationController', ['Name', 'Desired', 'Current', 'Ready', 'Age', '(Containers)', '(Images)', '(Selector)']],
    ['batch', 'Job', ['Name', 'Status', 'Completions', 'Duration', 'Age', '(Containers)', '(Images)', '(Selector)']],
    ['batch', 'CronJob', ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', '(Containers)', '(Images)', '(Selector)']],
    ['', 'Service', ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '(Selector)']],
    ['', 'Node', ['Name', 'Status', 'Roles', 'Age', 'Version', '(Internal-IP)', '(External-IP)', '(OS-Image)', '(Kernel-Version)', '(Container-Runtime)']],
    ['', 'Namespace', ['Name', 'Status', 'Age']],
    ['', 'ConfigMap', ['Name', 'Data', 'Age']],
    ['', 'Secret', ['Name', 'Type', 'Data', 'Age']],
    ['', 'ServiceAccount', ['Name', 'Secrets', 'Age']],
    ['', 'Endpoints', ['Name', 'Endpoints', 'Age']],
    ['', 'Event', ['Last Seen', 'Type', 'Reason', 'Object', '(Subobject)', '(Source)', 'Message', '(First Seen)', '(Count)', '(Name)']],
    ['networking.k8s.io', 'Ingress', ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']],
    ['autoscaling', 'HorizontalPodAutoscaler', ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']],
    ['coordination.k8s.io', 'Lease', ['Name', 'Holder', 'Age']],
    ['example.com', 'Widget', ['Name', 'Age']],
    // A kind name only counts within its group.
    ['example.com', 'Pod', ['Name', 'Age']],
  ];
  for (const [group, kind, expected] of cases) assert.deepEqual(headers(group, kind), expected, `${group}/${kind}`);
});

test('the name column is marked for kubectl to prefix with the kind', () => {
  const name = columnsFor('apps', 'Deployment').columns[0];
  assert.equal(name.format, 'name');
  assert.match(name.description, /^Name must be unique within a namespace/);
});

interface PodCase {
  name: string;
  spec?: object;
  status?: object;
  deleted?: boolean;
  expect: [ready: string, status: string, restarts: string];
}

const running = { running: { startedAt: ago(200) } };
const finished = (secondsAgo: number) => ({ terminated: { exitCode: 1, finishedAt: ago(secondsAgo) } });

test('pod READY, STATUS and RESTARTS follow kubectl', () => {
  const two = { containers: [{ name: 'a' }, { name: 'b' }] };
  const one = { containers: [{ name: 'a' }] };
  const cases: PodCase[] = [
    { name: 'phase when all is well', spec: one, status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: running }] }, expect: ['1/1', 'Running', '0'] },
    { name: 'pod reason over phase', spec: one, status: { phase: 'Failed', reason: 'Evicted' }, expect: ['0/1', 'Evicted', '0'] },
    { name: 'ready but not running does not count', spec: two, status: { phase: 'Pending', containerStatuses: [{ name: 'a', ready: true, state: running }, { name: 'b', ready: true }] }, expect: ['1/2', 'Pending', '0'] },
    {
      name: 'first container with a waiting reason wins, restarts summed with the last one',
      spec: two,
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: finished(125) },
          { name: 'b', restartCount: 1, state: { terminated: { reason: 'OOMKilled', exitCode: 137 } }, lastState: finished(3600) },
        ],
      },
      expect: ['0/2', 'CrashLoopBackOff', '4 (2m5s ago)'],
    },
    { name: 'terminated without reason: signal', spec: one, status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, signal: 9 } } }] }, expect: ['0/1', 'Signal:9', '0'] },
    { name: 'terminated without reason: exit code', spec: one, status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] }, expect: ['0/1', 'ExitCode:2', '0'] },
    {
      name: 'completed next to running: NotReady without the Ready condition',
      spec: two,
      status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { name: 'b', ready: true, state: running }] },
      expect: ['1/2', 'NotReady', '0'],
    },
    {
      name: 'completed next to running: Running with the Ready condition',
      spec: two,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'a', ready: true, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { name: 'b', ready: true, state: running }],
      },
      expect: ['1/2', 'Running', '0'],
    },
    {
      name: 'init container running: Init:i/n, init restarts counted',
      spec: { initContainers: [{ name: 'i1' }, { name: 'i2' }], ...one },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', restartCount: 2, state: running, lastState: finished(10) }], containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }] },
      expect: ['0/1', 'Init:1/2', '2 (10s ago)'],
    },
    { name: 'init container crash looping', spec: { initContainers: [{ name: 'i' }], ...one }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, expect: ['0/1', 'Init:CrashLoopBackOff', '0'] },
    { name: 'init container PodInitializing reads as progress', spec: { initContainers: [{ name: 'i' }], ...one }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'PodInitializing' } } }] }, expect: ['0/1', 'Init:0/1', '0'] },
    { name: 'init container failed with reason', spec: { initContainers: [{ name: 'i' }], ...one }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { terminated: { reason: 'Error', exitCode: 1 } } }] }, expect: ['0/1', 'Init:Error', '0'] },
    { name: 'init container failed without reason', spec: { initContainers: [{ name: 'i' }], ...one }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 3 } } }] }, expect: ['0/1', 'Init:ExitCode:3', '0'] },
    {
      name: 'started sidecars count as containers, and their restarts stay after init',
      spec: { initContainers: [{ name: 's', restartPolicy: 'Always' }], ...one },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 's', started: true, ready: true, restartCount: 2, state: running, lastState: finished(30) }],
        containerStatuses: [{ name: 'a', ready: true, restartCount: 1, state: running, lastState: finished(90) }],
      },
      expect: ['2/2', 'Running', '3 (30s ago)'],
    },
    { name: 'scheduling gates', spec: one, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }, expect: ['0/1', 'SchedulingGated', '0'] },
    { name: 'deleted while running: Terminating', spec: one, deleted: true, status: { phase: 'Running' }, expect: ['0/1', 'Terminating', '0'] },
    { name: 'deleted after success keeps its status', spec: one, deleted: true, status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }, expect: ['0/1', 'Completed', '0'] },
    { name: 'deleted on a lost node: Unknown', spec: one, deleted: true, status: { phase: 'Running', reason: 'NodeLost' }, expect: ['0/1', 'Unknown', '0'] },
    { name: 'lost node without deletion shows the reason', spec: one, status: { phase: 'Running', reason: 'NodeLost' }, expect: ['0/1', 'NodeLost', '0'] },
  ];
  for (const c of cases) {
    const pod = { metadata: meta('p', c.deleted ? { deletionTimestamp: ago(5) } : {}), spec: c.spec, status: c.status };
    assert.deepEqual(cells('', 'Pod', pod).slice(1, 4), c.expect, c.name);
  }
});

test('pod wide cells: first pod IP, node, nominated node, readiness gates', () => {
  const pod = {
    metadata: meta('web'),
    spec: { nodeName: 'node-1', containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'g1' }, { conditionType: 'g2' }, { conditionType: 'g3' }] },
    status: { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }, { ip: 'fd00::5' }], nominatedNodeName: 'node-2', conditions: [{ type: 'g1', status: 'False' }, { type: 'g2', status: 'True' }] },
  };
  assert.deepEqual(cells('', 'Pod', pod), ['web', '0/1', 'Running', '0', '5m', '10.244.0.5', 'node-1', 'node-2', '1/3']);
  const bare = { metadata: meta('bare'), spec: { containers: [] }, status: { podIP: '10.0.0.1' } };
  assert.deepEqual(cells('', 'Pod', bare).slice(5), ['10.0.0.1', '<none>', '<none>', '<none>']);
});

test('service TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S)', () => {
  const svc = (spec: object, status: object = {}) => cells('', 'Service', { metadata: meta('s'), spec, status }).slice(1, 5);
  const cases: [object, object, unknown[]][] = [
    [{ type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] }, {}, ['ClusterIP', '10.96.0.1', '<none>', '443/TCP']],
    [{ type: 'ClusterIP', clusterIP: 'None', ports: [] }, {}, ['ClusterIP', 'None', '<none>', '<none>']],
    [{ type: 'NodePort', clusterIP: '10.96.3.4', externalIPs: ['1.2.3.4'], ports: [{ port: 8000, nodePort: 31234, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }, {}, ['NodePort', '10.96.3.4', '1.2.3.4', '8000:31234/TCP,53/UDP']],
    [{ type: 'LoadBalancer', clusterIP: '10.96.3.5', ports: [{ port: 80, nodePort: 30080 }] }, {}, ['LoadBalancer', '10.96.3.5', '<pending>', '80:30080/TCP']],
    [
      { type: 'LoadBalancer', clusterIP: '10.96.3.5', externalIPs: ['9.9.9.9'], ports: [{ port: 80, protocol: 'TCP' }] },
      { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { hostname: 'lb.example.com' }, { ip: '2.3.4.5' }, { ip: '2.3.4.5' }] } },
      ['LoadBalancer', '10.96.3.5', '2.3.4.5,5.6.7.8,lb.example.com,9.9.9.9', '80/TCP'],
    ],
    [{ type: 'ExternalName', externalName: 'example.com' }, {}, ['ExternalName', '<none>', 'example.com', '<none>']],
  ];
  for (const [spec, status, expected] of cases) assert.deepEqual(svc(spec, status), expected, JSON.stringify(spec));
  // SELECTOR sorts the key=value pairs, as Kubernetes' labels.FormatLabels does.
  const selector = cells('', 'Service', { metadata: meta('s'), spec: { selector: { app: 'web', 'app.kubernetes.io/name': 'x' } } });
  assert.equal(selector[6], 'app.kubernetes.io/name=x,app=web');
});

test('deployment and replica set columns', () => {
  const template = { spec: { containers: [{ name: 'web', image: 'django:5' }, { name: 'proxy', image: 'envoy' }] } };
  const selector = { matchLabels: { app: 'django' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] };
  const deploy = { metadata: meta('django'), spec: { replicas: 3, selector, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
  assert.deepEqual(cells('apps', 'Deployment', deploy), ['django', '2/3', 3, 2, '5m', 'web,proxy', 'django:5,envoy', 'app=django,tier in (api,web)']);
  assert.deepEqual(cells('apps', 'Deployment', { metadata: meta('new'), spec: { template } }).slice(1, 4), ['0/1', 0, 0]);
  assert.equal(cells('apps', 'Deployment', { metadata: meta('bad'), spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } } })[7], '<invalid>');
  const sts = { metadata: meta('web'), spec: { replicas: 3, selector, template }, status: { replicas: 3, readyReplicas: 2 } };
  assert.deepEqual(cells('apps', 'StatefulSet', sts), ['web', '2/3', '5m', 'web,proxy', 'django:5,envoy']);
  assert.deepEqual(cells('apps', 'StatefulSet', { metadata: meta('new'), spec: {} }).slice(1, 2), ['0/1']);
  const rs = { metadata: meta('django-5d8f'), spec: { replicas: 2, selector, template }, status: { replicas: 2, readyReplicas: 1 } };
  assert.deepEqual(cells('apps', 'ReplicaSet', rs), ['django-5d8f', 2, 2, 1, '5m', 'web,proxy', 'django:5,envoy', 'app=django,tier in (api,web)']);
  assert.equal(cells('apps', 'ReplicaSet', { metadata: meta('x'), spec: {} })[7], '<none>');
  const rc = { metadata: meta('rc'), spec: { replicas: 1, selector: { run: 'x' }, template }, status: { replicas: 1 } };
  assert.deepEqual(cells('', 'ReplicationController', rc), ['rc', 1, 1, 0, '5m', 'web,proxy', 'django:5,envoy', 'run=x']);
});

test('job STATUS, COMPLETIONS and DURATION', () => {
  const job = (spec: object, status: object, extra: object = {}) => cells('batch', 'Job', { metadata: meta('j', extra), spec, status }).slice(1, 4);
  const cond = (type: string, status = 'True') => ({ type, status });
  const cases: [unknown[], unknown[]][] = [
    [job({ completions: 3 }, { succeeded: 1, startTime: ago(100) }), ['Running', '1/3', '100s']],
    [job({ completions: 1 }, { succeeded: 1, startTime: ago(600), completionTime: ago(450), conditions: [cond('SuccessCriteriaMet'), cond('Complete')] }), ['Complete', '1/1', '2m30s']],
    [job({ parallelism: 4 }, { succeeded: 2 }), ['Running', '2/1 of 4', '']],
    [job({}, {}), ['Running', '0/1', '']],
    [job({ completions: 2 }, { failed: 3, conditions: [cond('FailureTarget'), cond('Failed')] }), ['Failed', '0/2', '']],
    [job({ completions: 2 }, { conditions: [cond('FailureTarget')] }), ['FailureTarget', '0/2', '']],
    [job({ completions: 2 }, { conditions: [cond('Suspended')] }), ['Suspended', '0/2', '']],
    [job({ completions: 2 }, { conditions: [cond('Suspended', 'False')] }), ['Running', '0/2', '']],
    [job({ completions: 2 }, { conditions: [cond('Suspended')] }, { deletionTimestamp: ago(1) }), ['Terminating', '0/2', '']],
  ];
  for (const [actual, expected] of cases) assert.deepEqual(actual, expected);
  const wide = cells('batch', 'Job', { metadata: meta('pi'), spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } }, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } } } });
  assert.deepEqual(wide.slice(5), ['pi', 'perl', 'batch.kubernetes.io/controller-uid=abc']);
});

test('cron job columns', () => {
  const base = { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } };
  assert.deepEqual(cells('batch', 'CronJob', { metadata: meta('cj'), spec: base, status: {} }), ['cj', '*/5 * * * *', '<none>', '<unset>', 0, '<none>', '5m', 'c', 'busybox', '<none>']);
  const busy = cells('batch', 'CronJob', { metadata: meta('cj'), spec: { ...base, timeZone: 'Europe/Paris', suspend: false }, status: { active: [{ name: 'j1' }], lastScheduleTime: ago(65) } });
  assert.deepEqual(busy.slice(2, 6), ['Europe/Paris', 'False', 1, '65s']);
});

test('node STATUS, ROLES and wide addresses', () => {
  const node = {
    metadata: meta('node-1', { namespace: undefined, labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'worker' } }),
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.30.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'docker://20.10.24' },
    },
  };
  assert.deepEqual(cells('', 'Node', node), [
    'node-1', 'Ready,SchedulingDisabled', 'control-plane,worker', '5m', 'v1.30.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'docker://20.10.24',
  ]);
  const lost = cells('', 'Node', { metadata: meta('n2'), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
  assert.deepEqual(lost.slice(1, 3), ['NotReady', '<none>']);
  assert.deepEqual(cells('', 'Node', { metadata: meta('n3') }).slice(1, 2).concat(cells('', 'Node', { metadata: meta('n3') }).slice(7)), ['Unknown', '<unknown>', '<unknown>', '<unknown>']);
});

test('event columns, for core events and for events.k8s.io-style ones', () => {
  const event = {
    metadata: meta('nginx.17a'),
    involvedObject: { kind: 'Pod', name: 'nginx', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled',
    message: 'Container image "nginx" already present on machine\n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(100),
    lastTimestamp: ago(50),
    count: 2,
  };
  assert.deepEqual(cells('', 'Event', event), [
    '50s', 'Normal', 'Pulled', 'pod/nginx', 'spec.containers{nginx}', 'kubelet, node-1', 'Container image "nginx" already present on machine', '100s', 2, 'nginx.17a',
  ]);
  const series = { metadata: meta('e2'), involvedObject: { kind: 'Node' }, eventTime: ago(200), series: { count: 5, lastObservedTime: ago(20) }, reportingComponent: 'scheduler', type: 'Warning' };
  assert.deepEqual(cells('', 'Event', series).slice(0, 9), ['20s', 'Warning', '', 'node', '', 'scheduler', '', '3m20s', 5]);
  assert.equal(cells('', 'Event', { metadata: meta('e3'), firstTimestamp: ago(3) })[8], 1);
});

test('config map, secret, service account, namespace, endpoints and lease cells', () => {
  assert.deepEqual(cells('', 'ConfigMap', { metadata: meta('cm'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['cm', 3, '5m']);
  assert.deepEqual(cells('', 'Secret', { metadata: meta('s'), type: 'Opaque', data: { a: 'MQ==' }, stringData: { a: 'x', b: 'y' } }), ['s', 'Opaque', 2, '5m']);
  assert.deepEqual(cells('', 'ServiceAccount', { metadata: meta('default'), secrets: [{ name: 't' }] }), ['default', 1, '5m']);
  assert.deepEqual(cells('', 'Namespace', { metadata: meta('kube-system', { namespace: undefined }), status: { phase: 'Active' } }), ['kube-system', 'Active', '5m']);
  assert.deepEqual(cells('coordination.k8s.io', 'Lease', { metadata: meta('node-1'), spec: { holderIdentity: 'node-1' } }), ['node-1', 'node-1', '5m']);
  const endpoints = (subsets: unknown) => cells('', 'Endpoints', { metadata: meta('ep'), subsets })[1];
  assert.equal(endpoints(undefined), '<none>');
  assert.equal(endpoints([{ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], ports: [{ port: 80 }] }]), '10.0.0.1:80,[fd00::1]:80');
  assert.equal(endpoints([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }]), '10.0.0.1,10.0.0.2');
  assert.equal(
    endpoints([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }, { addresses: [{ ip: '10.0.0.3' }], ports: [{ port: 80 }] }]),
    '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...',
  );
  assert.equal(endpoints([{ notReadyAddresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }]), '');
});

test('ingress columns', () => {
  const ing = (spec: object, status: object = {}) => cells('networking.k8s.io', 'Ingress', { metadata: meta('web'), spec, status }).slice(1, 5);
  assert.deepEqual(ing({ rules: [{ http: {} }] }), ['<none>', '*', '', '80']);
  assert.deepEqual(ing({ ingressClassName: 'nginx', rules: [{ host: 'a.example' }, { host: 'b.example' }], tls: [{ hosts: ['a.example'] }] }, { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } }), [
    'nginx', 'a.example,b.example', '10.0.0.9', '80, 443',
  ]);
  assert.deepEqual(ing({ rules: [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, {}] })[1], 'a,b,c + 2 more...');
});

test('horizontal pod autoscaler TARGETS', () => {
  const hpa = (metrics: unknown, currentMetrics: unknown, minReplicas?: number) =>
    cells('autoscaling', 'HorizontalPodAutoscaler', {
      metadata: meta('web'),
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas, maxReplicas: 10, metrics },
      status: { currentReplicas: 2, currentMetrics },
    });
  assert.deepEqual(hpa(undefined, undefined), ['web', 'Deployment/web', '<none>', '<unset>', 10, 2, '5m']);
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
  const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } };
  const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } };
  assert.equal(hpa([cpu], undefined, 1)[2], 'cpu: <unknown>/80%');
  assert.equal(hpa([cpu, memory], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }, { type: 'Resource', resource: { name: 'memory', current: { averageValue: '100Mi' } } }])[2], 'cpu: 40%/80%, memory: 100Mi/200Mi');
  assert.equal(hpa([cpu, memory, pods], [])[2], 'cpu: <unknown>/80%, memory: <unknown>/200Mi + 1 more...');
  const external = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } };
  assert.equal(hpa([external], [{ type: 'External', external: { current: { averageValue: '12' } } }])[2], '12/30 (avg)');
  assert.equal(hpa([{ type: 'Unknown' }], [])[2], '<unknown type>');
});

test('AGE is <unknown> without a creation timestamp; the default printer is NAME AGE', () => {
  assert.deepEqual(cells('example.com', 'Widget', { metadata: { name: 'w' } }), ['w', '<unknown>']);
  assert.deepEqual(cells('example.com', 'Widget', { metadata: { name: 'w', creationTimestamp: ago(3 * 86400 + 4 * 3600) } }), ['w', '3d4h']);
});

test('toTable builds the meta.k8s.io/v1 Table with the requested row objects', () => {
  const pods = resolveResource('pods')!;
  const pod: KubeObject = { metadata: { name: 'nginx', namespace: 'default', resourceVersion: '7', labels: { app: 'nginx' } }, spec: { containers: [{ name: 'c' }] } };
  const table = toTable(pods, [pod], { now: NOW });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '7' });
  assert.equal(table.columnDefinitions.length, 9);
  assert.deepEqual(table.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  assert.equal(table.rows[0].cells.length, 9);
  const full = toTable(pods, [pod], { now: NOW, includeObject: 'Object' });
  assert.deepEqual(full.rows[0].object, { ...pod, apiVersion: 'v1', kind: 'Pod' });
  const none = toTable(pods, [pod, pod], { now: NOW, includeObject: 'None' });
  assert.equal(none.rows[0].object, undefined);
  assert.deepEqual(none.metadata, {});
});

test('DaemonSet cells: the status counts, the node selector (<none> when empty), the pod template', () => {
  const ds = {
    metadata: meta('agent'),
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { spec: { nodeSelector: { zone: 'a', disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox:1.35' }] } },
    },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2 },
  };
  assert.deepEqual(cells('apps', 'DaemonSet', ds), ['agent', 3, 3, 2, 1, 2, 'disk=ssd,zone=a', '5m', 'c', 'busybox:1.35', 'app=agent']);
  const bare = { metadata: meta('agent'), spec: { template: { spec: { containers: [] } } } };
  assert.deepEqual(cells('apps', 'DaemonSet', bare).slice(1, 7), [0, 0, 0, 0, 0, '<none>']);
});
