// The simulated machine a `kctl machine` command names, from the running cluster's record.
import { CliError } from '../../errors.js';
import { clusterPaths, readState, type ClusterPaths, type ClusterState } from '../../cluster/local-cluster.js';
import { isAlive } from '../../cluster/processes.js';
import type { MachineRecord } from '../../cluster/machines/machines.js';

export function targetMachine(name: string): { p: ClusterPaths; state: ClusterState; machine: MachineRecord } {
  const p = clusterPaths();
  const state = readState(p);
  if (!state || !isAlive(state.apiserverPid)) throw new CliError(`no cluster is running under ${p.home} (start one with: kctl cluster up --machines N)`);
  if (!state.machines) throw new CliError('the cluster has no simulated machines: its nodes share this computer\'s engine (start one with: kctl cluster up --machines N)');
  const machine = state.machines.list.find((m) => m.name === name);
  if (!machine) throw new CliError(`machine "${name}" not found; the cluster's machines: ${state.machines.list.map((m) => m.name).join(', ')}`);
  return { p, state, machine };
}
