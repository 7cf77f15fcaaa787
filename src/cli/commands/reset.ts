// kctl reset: kubeadm reset for kctl. Undoes `kctl join` (stops the node agent's service, removes
// its unit or pid file, its pod containers, its data dir with its certificate) and `kctl init`
// (stops the control plane and removes $KCTL_HOME: the store, the PKI, tokens and kubeconfig).
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { kctlHome } from '../../api/kubeconfig.js';
import { clusterPaths } from '../cluster/local-cluster.js';
import { removeMachineObjects, stopLocalCluster } from '../cluster/stop-cluster.js';
import { readJoined, removeAgentService } from '../join/node-service.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  program
    .command('reset')
    .description('Undo "kctl init" or "kctl join" on this machine (kubeadm reset): stop the services, remove their data and certificates')
    .action(async () => {
      const home = kctlHome();
      for (const node of readJoined(home)) {
        await removeAgentService(home, node);
        await removeMachineObjects(io, node.server, node.dockerHost?.replace(/^unix:\/\//, ''));
        rmSync(node.dataDir, { recursive: true, force: true });
        io.out.write(`[reset] Stopped the node agent of ${node.name}${node.unit ? ` and removed ${node.unit}` : ''}; removed ${node.dataDir}\n`);
      }
      await stopLocalCluster(io, clusterPaths(home));
      rmSync(home, { recursive: true, force: true });
      io.out.write(`[reset] Removed ${home} (store, PKI, tokens, kubeconfig)\n`);
    });
}
