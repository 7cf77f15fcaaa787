// Node-group nodes that are simulated machines (`cluster up --machines`): each a new machine on
// the LAN (namespace, link, engine, images), whose agent is started by running the join line in
// it, with the group's label and capacity. Stopping one switches the machine off.
import { CliError } from '../../errors.js';
import { writeState } from '../local-cluster.js';
import { joinMachineAgent, machineAgentSettings, machineJoinLine } from '../node-agents.js';
import { bringUpMachine, freeMachineIndex, planMachine, removeMachine } from '../machines/machines.js';
import { groupAgentArgs, type GroupNodeStarter } from './group-node-starter.js';

export const machineNodes: GroupNodeStarter = {
  async start(ctx, group, names) {
    const machines = ctx.state.machines;
    if (!machines) throw new CliError(`node group ${group.name} has machine nodes, but this cluster runs no machines`);
    const line = machineJoinLine(ctx.p, ctx.state.server, ctx.caPem);
    for (const name of names) {
      const m = planMachine(ctx.p.home, name, freeMachineIndex(machines.list));
      // Recorded before anything is made: whatever happens next, `cluster down` finds it.
      machines.list.push(m);
      writeState(ctx.p, ctx.state);
      const up = await bringUpMachine(m, ctx.timeoutMs);
      m.enginePid = up.pid;
      writeState(ctx.p, ctx.state);
      await up.images;
      const agent = await joinMachineAgent(ctx.p, m, machineAgentSettings(ctx.state), line, ctx.timeoutMs, groupAgentArgs(group));
      ctx.record({ ...agent, group: group.name });
    }
  },
  async stop(ctx, node) {
    const machines = ctx.state.machines!;
    const m = machines.list.find((x) => x.name === node.name);
    if (!m) return;
    await removeMachine(m, [node.pid]);
    machines.list = machines.list.filter((x) => x.name !== node.name);
    writeState(ctx.p, ctx.state);
  },
};
