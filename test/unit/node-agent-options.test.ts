import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentArgs } from '../../src/nodeagent/options.js';

const JOIN = 'abcdef.0123456789abcdef';

test('kctl-node defaults: host name, share 1, a 40 s lease, 10 s heartbeats, 5 min status reports, no node IP (found from the route to the API server), the kube-dns Service', () => {
  assert.deepEqual(parseAgentArgs(['--server', 'https://127.0.0.1:6443/', '--token', JOIN], 'MyHost'), {
    name: 'myhost',
    server: 'https://127.0.0.1:6443',
    token: JOIN,
    labels: {},
    taints: [],
    capacity: { cpu: undefined, memory: undefined, pods: undefined },
    share: 1,
    port: 0,
    allowPrivileged: false,
    hollowMetrics: false,
    leaseDurationSeconds: 40,
    heartbeatSeconds: 10,
    nodeStatusReportSeconds: 300,
    clusterDnsIP: '10.96.0.10',
  });
  assert.equal(parseAgentArgs(['--help'], 'h'), undefined);
});

test('every option is read', () => {
  const o = parseAgentArgs(
    [
      '--name', 'node-2', '--server', 'https://k:1', '--token-file', '/t', '--ca-file', '/ca.pem',
      '--labels', 'a=b', '--taints', 'k=v:NoSchedule', '--cpu', '500m', '--memory', '1Gi', '--pods', '20',
      '--share', '3', '--data-dir', '/d', '--lease-duration-seconds', '20', '--heartbeat-seconds', '2', '--node-status-report-seconds', '60',
      '--hollow-nodes', '4', '--hollow-metrics',
    ],
    'h',
  )!;
  assert.equal(o.name, 'node-2');
  assert.equal(o.tokenFile, '/t');
  assert.equal(o.token, undefined);
  assert.equal(o.caFile, '/ca.pem');
  assert.deepEqual(o.labels, { a: 'b' });
  assert.deepEqual(o.taints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]);
  assert.deepEqual(o.capacity, { cpu: '500m', memory: '1Gi', pods: '20' });
  assert.deepEqual([o.share, o.dataDir, o.leaseDurationSeconds, o.heartbeatSeconds, o.nodeStatusReportSeconds], [3, '/d', 20, 2, 60]);
  assert.deepEqual([o.hollowNodes, o.hollowMetrics], [4, true]);
});

test('bad command lines are refused, and so is anything but a join token', () => {
  const cases: [string[], RegExp][] = [
    [['--token', JOIN], /--server is required/],
    [['--server', 'localhost:6443', '--token', JOIN], /--server must be an http\(s\) URL/],
    [['--server', 'https://k', '--token', JOIN, '--token-file', '/t'], /at most one of --token and --token-file/],
    [['--server', 'https://k', '--token', '4f1c9a0b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e'], /must be a join token/],
    [['--server', 'https://k', '--token', JOIN, '--share', '0'], /--share must be a positive integer/],
    [['--server', 'https://k', '--token', JOIN, '--heartbeat-seconds', '1.5'], /--heartbeat-seconds must be a positive integer/],
    [['--server', 'https://k', '--token', JOIN, '--bogus'], /Unknown option '--bogus'/],
    [['--server', 'https://k', '--token', JOIN, '--pod-network', 'flannel'], /--pod-network must be one of host-gw, vxlan, got "flannel"/],
    [['--server', 'https://k', '--token', JOIN, '--cluster-cidr', '10.0.0.0/16'], /--cluster-cidr goes with --pod-network/],
    [['--server', 'https://k', '--token', JOIN, '--node-ip', 'node-1'], /--node-ip must be IPv4 addresses, got "node-1"/],
  ];
  for (const [argv, message] of cases) assert.throws(() => parseAgentArgs(argv, 'h'), message, argv.join(' '));
});

test('a simulated machine: its address, its pod network mode and the pod network', () => {
  const o = parseAgentArgs(['--server', 'https://10.250.0.1:6443', '--token', JOIN, '--node-ip', '10.250.0.11', '--pod-network', 'vxlan', '--cluster-dns', '10.100.0.10'], 'h')!;
  assert.deepEqual([o.nodeIP, o.podNetwork, o.clusterDnsIP], ['10.250.0.11', { mode: 'vxlan', clusterCidr: '10.244.0.0/16' }, '10.100.0.10']);
  assert.deepEqual(parseAgentArgs(['--server', 'https://k', '--token', JOIN, '--pod-network', 'host-gw', '--cluster-cidr', '10.32.0.0/12'], 'h')!.podNetwork, { mode: 'host-gw', clusterCidr: '10.32.0.0/12' });
});

test('--allow-privileged lets pods run privileged containers', () => {
  assert.equal(parseAgentArgs(['--server', 'https://127.0.0.1:6443', '--token', JOIN, '--allow-privileged'], 'h')?.allowPrivileged, true);
});

test('--proxy: the machine network services with their defaults, and each option read', () => {
  const base = ['--server', 'https://127.0.0.1:6443', '--token', JOIN, '--proxy'];
  assert.deepEqual(parseAgentArgs(base, 'h')!.network, {
    serviceCidr: '10.96.0.0/12',
    nodePortAddresses: ['127.0.0.1'],
    ingressAddress: '127.0.0.1',
    ingressPort: 80,
  });
  const set = parseAgentArgs(
    [...base, '--service-cidr', '10.100.0.0/16', '--nodeport-addresses', '127.0.0.1, 127.0.0.2', '--ingress-address', '127.0.0.3', '--ingress-port', '0', '--dns-upstreams', '127.0.0.53,127.0.0.54:5353'],
    'h',
  )!.network;
  assert.deepEqual(set, {
    serviceCidr: '10.100.0.0/16',
    nodePortAddresses: ['127.0.0.1', '127.0.0.2'],
    ingressAddress: '127.0.0.3',
    ingressPort: 0,
    dnsUpstreams: ['127.0.0.53', '127.0.0.54:5353'],
  });
  assert.equal(parseAgentArgs(['--server', 'https://127.0.0.1:6443', '--token', JOIN], 'h')!.network, undefined);
  assert.throws(() => parseAgentArgs([...base, '--service-cidr', '10.96.0.0'], 'h'), /--service-cidr must be an IPv4 CIDR/);
  assert.throws(() => parseAgentArgs([...base, '--nodeport-addresses', 'localhost'], 'h'), /--nodeport-addresses must be IPv4 addresses, got "localhost"/);
  assert.throws(() => parseAgentArgs([...base, '--ingress-port', '70000'], 'h'), /--ingress-port must be a port number/);
});
