// kctl cluster down: stops every process `cluster up` started. The data stays unless --purge.
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { DockerClient } from '../../../nodeagent/docker/docker-client.js';
import { removeClusterObjects } from '../../../nodeagent/pods/cluster-objects.js';
import { removeAllRules } from '../../../nodeagent/proxy/iptables.js';
import { clearState, clusterPaths, readState, stopProcess } from '../../cluster/local-cluster.js';
import { machineLeftovers, removeMachines } from '../../cluster/machines/machines.js';

// The agents leave their pods running and the service rules in place when they stop (a restarted
// agent adopts them), so what they made in Docker and iptables is removed here.
async function removeMachineObjects(server: string): Promise<void> {
  const docker = new DockerClient();
  try {
    const removed = await removeClusterObjects(docker, server);
    if (removed.containers > 0) process.stdout.write(`Removed ${removed.containers} pod container(s).\n`);
  } catch (err) {
    process.stderr.write(`warning: cannot remove the cluster's Docker containers and network: ${(err as Error).message}\n`);
  } finally {
    await docker.close();
  }
  await removeAllRules().catch((err: Error) => process.stderr.write(`warning: cannot remove the service rules: ${err.message}\n`));
}

export function register(cluster: Command): void {
  cluster
    .command('down')
    .description('Stop the local cluster (its data is kept for the next "cluster up" unless --purge)')
    .option('--purge', 'also delete the cluster data, kubeconfig and logs under $KCTL_HOME', false)
    .action(async (opts) => {
      const p = clusterPaths();
      const state = readState(p);
      if (!state) process.stdout.write(`No cluster is running under ${p.home}.\n`);
      else {
        await Promise.all(state.nodes.map((n) => stopProcess(n.pid)));
        if (state.machines) {
          await removeMachines(p.home, state.server, state.machines).catch((err: Error) =>
            process.stderr.write(`warning: cannot remove every part of the simulated machines: ${err.message}\n`),
          );
          const left = await machineLeftovers(p.home);
          if (left.length > 0) process.stderr.write(`warning: left behind (remove by hand): ${left.join('; ')}\n`);
          process.stdout.write(`Removed ${state.machines.list.length} simulated machine(s) and their LAN.\n`);
        } else if (state.nodes.length > 0) await removeMachineObjects(state.server);
        await stopProcess(state.apiserverPid);
        clearState(p);
        process.stdout.write(`Cluster at ${state.server} stopped.\n`);
      }
      if (opts.purge) {
        rmSync(p.home, { recursive: true, force: true });
        process.stdout.write(`Removed ${p.home}.\n`);
      }
    });
}
