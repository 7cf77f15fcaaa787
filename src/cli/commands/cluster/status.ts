// kctl cluster status: is the local cluster running, where, and with which nodes (each agent's
// process, and its Node's readiness as the API reports it).
import type { Command } from 'commander';
import type { KubeObject } from '../../../api/types.js';
import { findByKind } from '../../../api/resources.js';
import { clusterPaths, readState, type NetworkSettings } from '../../cluster/local-cluster.js';
import { apiAnswers, isAlive } from '../../cluster/processes.js';
import { readClusterCA } from '../../cluster/certificates.js';
import { adminClient } from '../../cluster/admin-client.js';
import { CliError } from '../../errors.js';
import { NETWORK_NODE } from '../../cluster/node-agents.js';
import { CLUSTER_DNS, CLUSTER_DNS_SERVICE, POD_NETWORK, POD_SUBNET, SERVICE_CIDR } from '../../../api/cluster-network.js';
import type { MachinesState } from '../../cluster/machines/machines.js';
import { enginePid } from '../../cluster/machines/machine-engine.js';
import { LAN_BRIDGE, LAN_GATEWAY } from '../../cluster/machines/lan.js';
import { REGISTRY_SECRET } from '../../cluster/registry/cluster-registry.js';
import type { IOStreams } from '../../io-streams.js';

const NODES = findByKind('Node')!;

/** `Ready`, `NotReady (reason: message)`, or why it is unknown. */
function readiness(node: KubeObject | undefined): string {
  if (!node) return 'not registered';
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (!ready) return 'Unknown';
  return ready.status === 'True' ? 'Ready' : `NotReady (${ready.reason}: ${ready.message})`;
}

/** Where the machine's network services, run by NETWORK_NODE's agent, answer. */
function networkLines(n: NetworkSettings): string[] {
  return [
    `Network:     pods ${POD_SUBNET} on ${POD_NETWORK}, services ${SERVICE_CIDR}, cluster DNS ${CLUSTER_DNS_SERVICE.ip} (kube-dns; answered at ${CLUSTER_DNS.address}:${CLUSTER_DNS.port} by ${NETWORK_NODE})`,
    `  node ports on ${n.nodePortAddresses.join(', ')}; ingress ${n.ingressPort > 0 ? `on ${n.ingressAddress}:${n.ingressPort}` : 'off'}`,
  ];
}

/** Each machine's address and engine, and the pod network between them. */
function machineLines(machines: MachinesState): string[] {
  return [
    `Machines:    on the LAN ${LAN_BRIDGE} (this computer ${LAN_GATEWAY}); pods ${machines.clusterCidr ?? POD_SUBNET} (a range per node), ${machines.podNetwork}; services ${SERVICE_CIDR}; cluster DNS ${CLUSTER_DNS_SERVICE.ip} on every machine`,
    ...machines.list.map((m) => {
      const pid = enginePid(m.engine);
      const engine = pid ? `engine running (pid ${pid}, unix://${m.engine.socket})` : 'engine STOPPED';
      return `  ${m.name}  ${m.address}  netns ${m.namespace}  ${engine}`;
    }),
  ];
}

export function register(cluster: Command, io: IOStreams): void {
  cluster
    .command('status')
    .description('Show whether the local cluster is running, its address, its processes and its nodes')
    .action(async () => {
      const p = clusterPaths();
      const state = readState(p);
      if (!state || !isAlive(state.apiserverPid)) throw new CliError(`no cluster is running under ${p.home} (start one with: kctl cluster up)`);
      const caPem = readClusterCA(p.home);
      const ready = await apiAnswers(state.server, caPem, 2000);
      let nodes = new Map<string, KubeObject>();
      if (ready && state.nodes.length) {
        const client = adminClient(p, state.server, caPem);
        try {
          nodes = new Map((await client.list(NODES, undefined)).items.map((n) => [n.metadata.name!, n]));
        } finally {
          client.close();
        }
      }
      const machines = state.machines;
      const lines = [
        `API server:  ${state.server}  pid ${state.apiserverPid}  ${ready ? 'ready' : 'NOT ANSWERING'}`,
        `Data:        ${p.db}`,
        `Kubeconfig:  ${p.kubeconfig}`,
        `Node agents: ${state.nodes.length === 0 ? 'none' : ''}`,
        ...state.nodes.map((n) => {
          const running = isAlive(n.pid);
          const node = ready ? readiness(nodes.get(n.name)) : 'unknown (the API server does not answer)';
          return `  ${n.name}  pid ${n.pid}  ${running ? 'running' : 'NOT RUNNING'}  ${node}`;
        }),
        ...(machines ? machineLines(machines) : state.nodes.length ? networkLines(state.network) : []),
        ...(state.registry ? [`Registry:    ${state.registry.address}  pid ${state.registry.pid}  ${isAlive(state.registry.pid) ? 'running' : 'NOT RUNNING'}  (pull secret ${REGISTRY_SECRET} in default)`] : []),
      ];
      io.out.write(`${lines.join('\n')}\n`);
      if (!ready) process.exitCode = 1;
    });
}
