import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { byteOrder } from '../../api/printers/columns/labels.js';
import { timestampSince } from '../../api/printers/duration.js';
import { Quantity, canonicalQuantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { formatTime } from './format.js';
import { addInto, podLimits, podRequests, type ResourceTotals } from './pod-resources.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, LEVEL_1, tabbed, writeAnnotations, writeLabels, writeMultiline, type PrefixWriter } from './writer.js';

const PODS = 'pods';
const LEASES = 'leases';
// The kubelet records events about its node with the node's name as the uid.
const EVENTS_BY_NAME = 'eventsByName';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';
// Resources every node has; any other besides hugepages is an extended resource like `example.com/gpu`.
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

export const nodeDescriber: Describer = {
  related: (obj) => [
    // Pods that still hold the node's resources.
    { name: PODS, resource: 'pods', fieldSelector: `spec.nodeName=${obj.metadata.name},status.phase!=Succeeded,status.phase!=Failed` },
    { name: LEASES, resource: 'leases', namespace: NODE_LEASE_NAMESPACE, fieldSelector: `metadata.name=${obj.metadata.name}` },
    { name: EVENTS_BY_NAME, resource: 'events', fieldSelector: `involvedObject.uid=${obj.metadata.name}` },
  ],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const node = obj as unknown as Node;
    const spec = node.spec ?? {};
    const status = node.status ?? {};
    const info = status.nodeInfo;
    const pods = (ctx.related[PODS] ?? []) as unknown as Pod[];
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Roles:\t${roles(obj.metadata.labels).join(',') || '<none>'}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `CreationTimestamp:\t${formatTime(obj.metadata.creationTimestamp)}\n`);
      writeMultiline(w, 'Taints:\t', '\t', sortedTaints(spec.taints).map(taintText));
      w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`);
      writeLease(w, obj.metadata.name ?? '', ctx.related[LEASES]?.[0] as unknown as Lease | undefined);
      if (status.conditions?.length) {
        w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
        w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
        for (const c of status.conditions) {
          w.write(
            LEVEL_1,
            `${c.type} \t${c.status} \t${formatTime(c.lastHeartbeatTime)} \t${formatTime(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
          );
        }
      }
      w.write(LEVEL_0, 'Addresses:\n');
      for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
      for (const [title, list] of [['Capacity', status.capacity], ['Allocatable', status.allocatable]] as const) {
        if (!list || Object.keys(list).length === 0) continue;
        w.write(LEVEL_0, `${title}:\n`);
        for (const name of Object.keys(list).sort(byteOrder)) w.write(LEVEL_0, `  ${name}:\t${canonicalQuantity(list[name])}\n`);
      }
      w.write(LEVEL_0, 'System Info:\n');
      w.write(LEVEL_0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
      w.write(LEVEL_0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
      w.write(LEVEL_0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
      w.write(LEVEL_0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
      w.write(LEVEL_0, `  OS Image:\t${info?.osImage ?? ''}\n`);
      w.write(LEVEL_0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
      w.write(LEVEL_0, `  Architecture:\t${info?.architecture ?? ''}\n`);
      w.write(LEVEL_0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
      w.write(LEVEL_0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
      w.write(LEVEL_0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
      if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
      if (spec.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
      if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
      writePodResources(w, pods, status.allocatable && Object.keys(status.allocatable).length > 0 ? status.allocatable : (status.capacity ?? {}), ctx.now);
      writeEvents(w, ctx.events && [...ctx.events, ...(ctx.related[EVENTS_BY_NAME] ?? [])], ctx.now);
    });
  },
};

/** Roles from `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label. */
function roles(labels: Record<string, string> | undefined): string[] {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX) && key.length > ROLE_LABEL_PREFIX.length) found.add(key.slice(ROLE_LABEL_PREFIX.length));
    else if (key === ROLE_LABEL && value) found.add(value);
  }
  return [...found].sort(byteOrder);
}

function sortedTaints(taints: Taint[] | undefined): Taint[] {
  return [...(taints ?? [])].sort((a, b) => byteOrder(`${a.effect},${a.key}`, `${b.effect},${b.key}`));
}

function taintText(t: Taint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

function writeLease(w: PrefixWriter, nodeName: string, lease: Lease | undefined): void {
  if (!lease) {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${nodeName}" not found\n`);
    return;
  }
  const spec = lease.spec ?? {};
  w.write(LEVEL_0, 'Lease:\n');
  w.write(LEVEL_1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
  w.write(LEVEL_1, `AcquireTime:\t${spec.acquireTime ? formatTime(spec.acquireTime) : '<unset>'}\n`);
  w.write(LEVEL_1, `RenewTime:\t${spec.renewTime ? formatTime(spec.renewTime) : '<unset>'}\n`);
}

// What each pod on the node asks for, as a share of what the node can give, then the totals.
function writePodResources(w: PrefixWriter, pods: Pod[], allocatable: Record<string, string>, now: Date): void {
  const capacity = (name: string) => Quantity.parse(allocatable[name] ?? '0') ?? Quantity.ZERO;
  const share = (used: Quantity | undefined, name: string, milli: boolean) => {
    const q = used ?? Quantity.ZERO;
    const total = milli ? capacity(name).milliValue() : capacity(name).value();
    const percent = total === 0n ? 0 : Math.trunc((Number(milli ? q.milliValue() : q.value()) / Number(total)) * 100);
    return `${q} (${percent}%)`;
  };
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const totalRequests: ResourceTotals = new Map();
  const totalLimits: ResourceTotals = new Map();
  for (const pod of pods) {
    const requests = podRequests(pod);
    const limits = podLimits(pod);
    addInto(totalRequests, requests);
    addInto(totalLimits, limits);
    w.write(
      LEVEL_1,
      `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t${share(requests.get('cpu'), 'cpu', true)}\t${share(limits.get('cpu'), 'cpu', true)}\t` +
        `${share(requests.get('memory'), 'memory', false)}\t${share(limits.get('memory'), 'memory', false)}\t${timestampSince(pod.metadata?.creationTimestamp, now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  for (const [name, milli] of [['cpu', true], ['memory', false], ['ephemeral-storage', false]] as const) {
    w.write(LEVEL_1, `${name}\t${share(totalRequests.get(name), name, milli)}\t${share(totalLimits.get(name), name, milli)}\n`);
  }
  const names = Object.keys(allocatable).sort(byteOrder);
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) {
    w.write(LEVEL_1, `${name}\t${share(totalRequests.get(name), name, false)}\t${share(totalLimits.get(name), name, false)}\n`);
  }
  for (const name of names.filter((n) => !n.startsWith('hugepages-') && !STANDARD_RESOURCES.has(n))) {
    w.write(LEVEL_1, `${name}\t${totalRequests.get(name) ?? Quantity.ZERO}\t${totalLimits.get(name) ?? Quantity.ZERO}\n`);
  }
}
