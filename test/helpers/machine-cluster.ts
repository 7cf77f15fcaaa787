// A cluster of three simulated machines for a describe block of integration tests: `kctl cluster
// up --machines 3` before its tests, `cluster down` after them whatever happened, and a last
// look that nothing of the machines is left on this computer.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { LAN_GATEWAY } from '../../src/cli/cluster/machines/lan.js';
import { machineLeftovers } from '../../src/cli/cluster/machines/machines.js';
import { TestCluster } from './test-cluster.js';

export function useMachineCluster(upArgs: string[]): TestCluster {
  const c = new TestCluster();
  c.host = LAN_GATEWAY;
  before(async () => {
    await c.up(['--machines', '3', ...upArgs]);
  });
  after(async () => {
    const home = c.home;
    await c.down();
    assert.deepEqual(await machineLeftovers(home), [], 'cluster down leaves nothing of the machines behind');
  });
  return c;
}
