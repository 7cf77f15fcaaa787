// The node agent's usage figures from kernel files, and the API server's rates from two scrapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cgroupDirs,
  cpuUsageNanos,
  machineCpuNanos,
  machineWorkingSetBytes,
  parseCgroupMounts,
  workingSetBytes,
} from '../../src/nodeagent/stats/usage-files.js';
import { cpuRate, nodeScrape, UsageStore } from '../../src/apiserver/metrics/usage-store.js';
import { parsePrometheusText } from '../../src/api/metrics/prometheus-text.js';
import { resourceMetricsText } from '../../src/nodeagent/stats/resource-metrics-text.js';
import type { NodeSample } from '../../src/nodeagent/stats/container-stats.js';
import { HollowUsage } from '../../src/nodeagent/hollow/hollow-usage.js';

const HYBRID_MOUNTINFO = [
  '30 23 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755',
  '31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw',
  '34 30 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct',
  '35 30 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory',
].join('\n');

test('cgroup v1 (hybrid): CPU from cpuacct and memory from the memory hierarchy, found through /proc/PID/cgroup', () => {
  const mounts = parseCgroupMounts(HYBRID_MOUNTINFO);
  assert.deepEqual(mounts, { unified: '/sys/fs/cgroup/unified', cpuacct: '/sys/fs/cgroup/cpu,cpuacct', memory: '/sys/fs/cgroup/memory' });
  const proc = ['12:memory:/docker/abc', '4:cpu,cpuacct:/docker/abc', '1:name=systemd:/docker/abc', '0::/docker/abc'].join('\n');
  assert.deepEqual(cgroupDirs(proc, mounts), { version: 1, cpuacct: '/sys/fs/cgroup/cpu,cpuacct/docker/abc', memory: '/sys/fs/cgroup/memory/docker/abc' });
  assert.equal(cpuUsageNanos(1, '1081075311\n'), 1081075311);
  // usage 1298432 minus total_inactive_file 118784 (not the cgroup's own inactive_file line)
  assert.equal(workingSetBytes(1, '1298432\n', 'inactive_file 4096\ntotal_inactive_file 118784\n'), 1298432 - 118784);
});

test('cgroup v2: one unified directory; usage_usec is microseconds; the working set never goes below zero', () => {
  const mounts = parseCgroupMounts('25 1 0:22 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate');
  assert.deepEqual(cgroupDirs('0::/system.slice/docker-abc.scope\n', mounts), { version: 2, dir: '/sys/fs/cgroup/system.slice/docker-abc.scope' });
  assert.equal(cpuUsageNanos(2, 'usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n'), 2_500_000);
  assert.equal(workingSetBytes(2, '8192\n', 'anon 4096\ninactive_file 4096\nactive_file 0\n'), 4096);
  assert.equal(workingSetBytes(2, '4096\n', 'inactive_file 8192\n'), 0);
  assert.equal(cpuUsageNanos(2, 'user_usec 1\n'), undefined);
  assert.equal(workingSetBytes(2, '', ''), undefined);
  assert.equal(cgroupDirs('0::/x\n', {}), undefined);
});

test('the machine: busy time from /proc/stat (idle and iowait left out), working set from /proc/meminfo', () => {
  // user nice system idle iowait irq softirq steal: busy = 100+0+50+5+5+0 = 160 ticks = 1.6 s
  assert.equal(machineCpuNanos('cpu  100 0 50 9000 40 5 5 0 0 0\ncpu0 50 0 25 4500 20 2 2 0 0 0\n'), 1.6e9);
  const meminfo = 'MemTotal:       16000000 kB\nMemFree:         4000000 kB\nMemAvailable:    9000000 kB\nInactive(file):  3000000 kB\n';
  assert.equal(machineWorkingSetBytes(meminfo), (16000000 - 4000000 - 3000000) * 1024);
  assert.equal(machineCpuNanos('intr 1 2 3\n'), undefined);
});

test('CPU rates: nanocores over the window; a counter that went back gives none', () => {
  assert.equal(cpuRate(10, 10.5, 1000), 500_000_000);
  assert.equal(cpuRate(10, 13, 15_000), 200_000_000);
  assert.equal(cpuRate(10, 9, 1000), undefined);
  assert.equal(cpuRate(10, 11, 0), undefined);
});

function sample(containers: { pod: string; container: string; cpu: number; ws: number; start: number }[], cpuNanos = 1e12): NodeSample {
  return {
    timestamp: 0,
    cpuNanos,
    workingSetBytes: 1 << 30,
    containers: containers.map((c) => ({ namespace: 'default', pod: c.pod, container: c.container, startTime: c.start, restartCount: 0, cpuNanos: c.cpu, workingSetBytes: c.ws })),
  };
}

/** A scrape whose samples were read at `at`, received a second later: the samples' own time counts. */
async function scrape(s: NodeSample, at: number) {
  return nodeScrape(parsePrometheusText((await resourceMetricsText({ sample: async () => ({ ...s, timestamp: at }) })).body), at + 1000);
}

test('the agent writes the kubelet resource metrics with prom-client and the API server reads rates from two scrapes', async () => {
  const { body, contentType } = await resourceMetricsText({
    sample: async () => ({ ...sample([{ pod: 'web', container: 'app', cpu: 2e9, ws: 5 << 20, start: 1000 }]), timestamp: 1700000000123 }),
  });
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  assert.match(body, /# TYPE container_cpu_usage_seconds_total counter/);
  assert.match(body, /container_cpu_usage_seconds_total\{container="app",namespace="default",pod="web"\} 2 1700000000123\n/);
  assert.match(body, /pod_memory_working_set_bytes\{namespace="default",pod="web"\} 5242880 1700000000123\n/);
  assert.match(body, /node_cpu_usage_seconds_total 1000 1700000000123\n/);
  assert.match(body, /resource_scrape_error 0/);

  const store = new UsageStore();
  store.record('n1', await scrape(sample([{ pod: 'busy', container: 'c', cpu: 10e9, ws: 1 << 20, start: 1000 }, { pod: 'idle', container: 'c', cpu: 1e9, ws: 2 << 20, start: 1000 }]), 2_000_000));
  assert.equal(store.node('n1'), undefined, 'one scrape gives no rate');
  assert.equal(store.pod('n1', 'default', 'busy'), undefined);
  store.record(
    'n1',
    await scrape(
      sample(
        [
          { pod: 'busy', container: 'c', cpu: 25e9, ws: 3 << 20, start: 1000 },
          { pod: 'idle', container: 'c', cpu: 1.015e9, ws: 2 << 20, start: 1000 },
          // started after the previous scrape: its start is the earlier point
          { pod: 'fresh', container: 'c', cpu: 1e9, ws: 1 << 20, start: 2005 },
          // restarted (a new start time) before the previous scrape's time: no rate yet
          { pod: 'restarted', container: 'c', cpu: 1e9, ws: 1 << 20, start: 1500 },
        ],
        1.015e12,
      ),
      2_015_000,
    ),
  );
  assert.deepEqual(store.node('n1'), { timestamp: 2_015_000, windowMs: 15_000, cpuNanocores: 1e9, memoryBytes: 1 << 30 });
  assert.deepEqual(store.pod('n1', 'default', 'busy'), { timestamp: 2_015_000, windowMs: 15_000, containers: [{ name: 'c', cpuNanocores: 1e9, memoryBytes: 3 << 20 }] });
  assert.equal(store.pod('n1', 'default', 'idle')!.containers[0].cpuNanocores, 1_000_000);
  assert.deepEqual(store.pod('n1', 'default', 'fresh'), { timestamp: 2_015_000, windowMs: 10_000, containers: [{ name: 'c', cpuNanocores: 1e8, memoryBytes: 1 << 20 }] });
  assert.equal(store.pod('n1', 'default', 'restarted'), undefined);
  store.forget('n1');
  assert.equal(store.node('n1'), undefined);
});

test('a failed sample is reported as resource_scrape_error 1 with no figures', async () => {
  const { body } = await resourceMetricsText({ sample: async () => Promise.reject(new Error('docker is down')) });
  assert.deepEqual(parsePrometheusText(body).map((s) => [s.name, s.value]), [['resource_scrape_error', 1]]);
});

test('hollow nodes make up usage: a tenth of the CPU request, half the memory request, or the annotations; CPU time stays cumulative', () => {
  let now = 1_000_000;
  const usage = new HollowUsage(() => now);
  const pod = (annotations: Record<string, string> = {}) => ({
    metadata: { name: 'web', namespace: 'default', annotations },
    spec: { containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '500m', memory: '64Mi' } } }, { name: 'bare', image: 'x' }] },
  });
  usage.set('uid-1', pod());
  now += 10_000;
  let s = usage.sample();
  assert.deepEqual(s.containers.map((c) => [c.container, c.cpuNanos, c.workingSetBytes, c.startTime]), [
    ['app', 0.5e9, 32 * 2 ** 20, 1000],
    ['bare', 0.05e9, 16 * 2 ** 20, 1000],
  ]);
  // node: 100m of its own plus the pod's 55m, for 10 s
  assert.equal(s.cpuNanos, 1.55e9);
  usage.set('uid-1', pod({ 'kctl.io/hollow-cpu': '2', 'kctl.io/hollow-memory': '1Gi' }));
  now += 1000;
  s = usage.sample();
  assert.deepEqual(s.containers.map((c) => [c.cpuNanos, c.workingSetBytes]), [[2.5e9, 2 ** 30], [2.05e9, 2 ** 30]]);
  usage.delete('uid-1');
  assert.deepEqual(usage.sample().containers, []);
});
