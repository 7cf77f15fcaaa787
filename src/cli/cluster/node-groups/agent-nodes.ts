// Node-group nodes that are node agents on this computer's engine, as `cluster up --nodes` starts
// them (the shared pod bridge), with the group's label and capacity. Stopping one also removes
// the containers it ran: a stopped agent leaves its pods running for its next start, and this
// node has none.
import { DockerClient, claimPodNetwork, removeNodeContainers } from '../../../nodeagent/machine-runtime.js';
import { CliError } from '../../errors.js';
import { stopProcess } from '../processes.js';
import { startNodeAgents } from '../node-agents.js';
import { pkiPaths } from '../certificates.js';
import { groupAgentArgs, type GroupNodeStarter } from './group-node-starter.js';

export const agentNodes: GroupNodeStarter = {
  async start(ctx, group, names) {
    const docker = new DockerClient();
    try {
      await claimPodNetwork(docker, ctx.state.server).catch((err: Error) => {
        throw new CliError(`cannot make the pod network: ${err.message}`);
      });
    } finally {
      await docker.close();
    }
    const agents = startNodeAgents(ctx.p, {
      server: ctx.state.server,
      caFile: pkiPaths(ctx.p.home).caFile,
      names,
      count: 1,
      leaseDurationSeconds: ctx.state.nodeMonitorGracePeriodSeconds,
      network: ctx.state.network,
      extraArgs: groupAgentArgs(group),
    });
    for (const agent of agents) ctx.record({ ...agent, group: group.name });
  },
  async stop(ctx, node) {
    await stopProcess(node.pid);
    const docker = new DockerClient();
    try {
      await removeNodeContainers(docker, ctx.state.server, node.name);
    } finally {
      await docker.close();
    }
  },
};
