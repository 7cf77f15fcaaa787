// A cluster of simulated machines (three unless told) for a describe block of integration tests:
// `kctl cluster up --machines N` before its tests, `cluster down` after them whatever happened,
// and a last look that nothing of the machines is left on this computer.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { LAN_GATEWAY } from '../../src/cli/cluster/machines/lan.js';
import { machineLeftovers } from '../../src/cli/cluster/machines/machines.js';
import { TestCluster } from './test-cluster.js';

export interface MachineCluster extends TestCluster {
  /** The join line `cluster up` printed, which its machines ran: `join HOST:PORT --token T --discovery-token-ca-cert-hash H`. */
  joinLine: string[];
}

export function useMachineCluster(upArgs: string[], machines = 3): MachineCluster {
  const c = Object.assign(new TestCluster(), { joinLine: [] as string[] });
  c.host = LAN_GATEWAY;
  before(async () => {
    const up = await c.up(['--machines', String(machines), ...upArgs]);
    const line = /^Machines join with: kctl (join .*)$/m.exec(up.stdout)?.[1];
    assert.ok(line, `cluster up prints the machines' join line: ${up.stdout}`);
    c.joinLine = line.split(' ');
  });
  after(async () => {
    const home = c.home;
    await c.down();
    assert.deepEqual(await machineLeftovers(home), [], 'cluster down leaves nothing of the machines behind');
  });
  return c;
}
