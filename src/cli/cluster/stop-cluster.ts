// Stopping what `cluster up` or `kctl init` started under $KCTL_HOME, for `cluster down` and
// `kctl reset`. The agents leave their pods running and the service rules in place when they stop
// (a restarted agent adopts them), so what they made in Docker and iptables is removed here.
import { DockerClient, removeClusterObjects, removeMachineRules } from '../../nodeagent/machine-runtime.js';
import { clearState, readState, type ClusterPaths } from './local-cluster.js';
import { stopProcess } from './processes.js';
import { machineLeftovers, removeMachines } from './machines/machines.js';
import { stopRegistry } from './registry/cluster-registry.js';
import { registryPaths } from './registry/registry-files.js';
import type { IOStreams } from '../io-streams.js';

/** Removes the cluster's pod containers from one engine (default: this machine's), then the service rules. */
export async function removeMachineObjects(io: IOStreams, server: string, socketPath?: string): Promise<void> {
  const docker = new DockerClient(socketPath ? { socketPath } : {});
  try {
    const removed = await removeClusterObjects(docker, server);
    if (removed.containers > 0) io.out.write(`Removed ${removed.containers} pod container(s).\n`);
  } catch (err) {
    io.errOut.write(`warning: cannot remove the cluster's Docker containers and network: ${(err as Error).message}\n`);
  } finally {
    await docker.close();
  }
  await removeMachineRules().catch((err: Error) => io.errOut.write(`warning: cannot remove the service and network policy rules: ${err.message}\n`));
}

/** Stops the daemon and the agents cluster.json names; false when there was no cluster. */
export async function stopLocalCluster(io: IOStreams, p: ClusterPaths): Promise<boolean> {
  const state = readState(p);
  if (!state) return false;
  if (state.machines) {
    // The machines are switched off (their agents killed with them) while the API server stops.
    const machines = state.machines;
    await Promise.all([
      removeMachines(p.home, machines, state.nodes.map((n) => n.pid)).catch((err: Error) =>
        io.errOut.write(`warning: cannot remove every part of the simulated machines: ${err.message}\n`),
      ),
      stopProcess(state.apiserverPid),
    ]);
    const left = await machineLeftovers(p.home);
    if (left.length > 0) io.errOut.write(`warning: left behind (remove by hand): ${left.join('; ')}\n`);
    io.out.write(`Removed ${machines.list.length} simulated machine(s) and their LAN.\n`);
  } else {
    await Promise.all(state.nodes.map((n) => stopProcess(n.pid)));
    if (state.nodes.length > 0) await removeMachineObjects(io, state.server);
    await stopProcess(state.apiserverPid);
  }
  if (state.registry) {
    await stopRegistry(p.home, state.registry);
    io.out.write(`Registry at ${state.registry.address} stopped (its images stay under ${registryPaths(p.home).data}).\n`);
  }
  clearState(p);
  io.out.write(`Cluster at ${state.server} stopped.\n`);
  return true;
}
