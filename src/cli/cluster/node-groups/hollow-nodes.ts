// Node-group nodes that are hollow nodes (src/nodeagent/hollow): one `kctl-node --hollow-nodes 1`
// per node, registering NAME-0 with the group's label and capacity, so capacity planning at scale
// runs the real autoscaler without containers.
import { join } from 'node:path';
import { nodeLogFile, nodeTokenFile } from '../node-agents.js';
import { pkiPaths } from '../certificates.js';
import { programCommand, spawnDetached, stopProcess } from '../processes.js';
import { groupAgentArgs, type GroupNodeStarter } from './group-node-starter.js';

export const hollowNodes: GroupNodeStarter = {
  async start(ctx, group, names) {
    for (const prefix of names) {
      const args = [
        '--hollow-nodes', '1',
        '--name', prefix,
        '--server', ctx.state.server,
        '--token-file', nodeTokenFile(ctx.p),
        '--ca-file', pkiPaths(ctx.p.home).caFile,
        '--data-dir', join(ctx.p.home, 'nodes', prefix),
        ...(ctx.state.nodeMonitorGracePeriodSeconds ? ['--lease-duration-seconds', String(ctx.state.nodeMonitorGracePeriodSeconds)] : []),
        ...groupAgentArgs(group),
      ];
      const pid = spawnDetached(programCommand('kctl-node', args), nodeLogFile(ctx.p, prefix));
      // The fleet of one names its node PREFIX-0.
      ctx.record({ name: `${prefix}-0`, pid, group: group.name });
    }
  },
  async stop(_ctx, node) {
    await stopProcess(node.pid);
  },
};
