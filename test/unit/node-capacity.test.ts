import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MACHINE_MAX_PODS, nodeCapacity } from '../../src/nodeagent/capacity.js';

const GI = 1024 ** 3;
const MACHINE = { cpuCores: 2, memoryBytes: 8 * GI, ephemeralStorageBytes: 100 * GI };

test('by default each agent offers its share of the machine', () => {
  const cases: [number, Record<string, string>][] = [
    [1, { cpu: '2', memory: '8388608Ki', pods: '110', 'ephemeral-storage': '104857600Ki' }],
    [2, { cpu: '1', memory: '4194304Ki', pods: '55', 'ephemeral-storage': '52428800Ki' }],
    [3, { cpu: '666m', memory: '2796202Ki', pods: '36', 'ephemeral-storage': '34952533Ki' }],
  ];
  for (const [share, want] of cases) assert.deepEqual(nodeCapacity(MACHINE, share), want, `share ${share}`);
  assert.equal(MACHINE_MAX_PODS, 110, "the kubelet's default --max-pods");
});

test('a share never leaves a node with nothing', () => {
  const c = nodeCapacity({ cpuCores: 1, memoryBytes: GI, ephemeralStorageBytes: GI }, 5000);
  assert.equal(c.cpu, '1m');
  assert.equal(c.pods, '1');
});

test('--cpu, --memory and --pods override the share, in the units the kubelet reports', () => {
  const cases: [Record<string, string>, Record<string, string>][] = [
    [{ cpu: '500m' }, { cpu: '500m' }],
    [{ cpu: '1.5' }, { cpu: '1500m' }],
    [{ cpu: '4' }, { cpu: '4' }],
    [{ memory: '1Gi' }, { memory: '1048576Ki' }],
    [{ memory: '512M' }, { memory: '500000Ki' }],
    [{ pods: '20' }, { pods: '20' }],
  ];
  for (const [flags, want] of cases) {
    const c = nodeCapacity(MACHINE, 2, flags);
    for (const [k, v] of Object.entries(want)) assert.equal(c[k], v, JSON.stringify(flags));
  }
});

test('bad capacity flags are refused', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ cpu: 'lots' }, /--cpu must be a positive quantity/],
    [{ cpu: '0' }, /--cpu must be a positive quantity/],
    [{ memory: '-1Gi' }, /--memory must be a positive quantity/],
    [{ pods: '1.5' }, /--pods must be a positive integer/],
    [{ pods: '0' }, /--pods must be a positive integer/],
  ];
  for (const [flags, message] of cases) assert.throws(() => nodeCapacity(MACHINE, 1, flags), message, JSON.stringify(flags));
  assert.throws(() => nodeCapacity(MACHINE, 0), /--share must be a positive integer/);
});
