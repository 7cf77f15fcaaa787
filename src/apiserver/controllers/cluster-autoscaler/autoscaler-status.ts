// Pure: the kube-system/cluster-autoscaler-status ConfigMap's `status` text, in the YAML layout
// cluster-autoscaler writes (clusterWide and per nodeGroups: health with node counts, scaleUp,
// scaleDown), so what reads it there reads it here.
import { stringify } from 'yaml';

export const STATUS_CONFIGMAP = 'cluster-autoscaler-status';

export interface NodeCounts {
  total: number;
  ready: number;
  notStarted: number;
}

export interface GroupStatus {
  name: string;
  registered: NodeCounts;
  /** Nodes asked for and not yet registered. */
  unregistered: number;
  target: number;
  min: number;
  max: number;
  scaleUpInProgress: boolean;
  scaleDownCandidates: number;
}

export interface AutoscalerStatus {
  groups: GroupStatus[];
  /** Nodes in no group count toward the cluster's health too. */
  cluster: NodeCounts;
}

/** Condition times kept per path (e.g. `clusterWide.scaleUp`): when its status last changed. */
export type TransitionTimes = Map<string, { status: string; since: string }>;

function condition(times: TransitionTimes, path: string, status: string, now: string): { lastProbeTime: string; lastTransitionTime: string } {
  const before = times.get(path);
  if (before?.status !== status) times.set(path, { status, since: now });
  return { lastProbeTime: now, lastTransitionTime: times.get(path)!.since };
}

function counts(c: NodeCounts, unregistered: number) {
  return { registered: { total: c.total, ready: c.ready, notStarted: c.notStarted }, longUnregistered: 0, unregistered };
}

/** The status text; `now` is an RFC 3339 time. `times` is updated with the conditions that changed. */
export function statusText(s: AutoscalerStatus, times: TransitionTimes, now: string): string {
  const unregistered = s.groups.reduce((n, g) => n + g.unregistered, 0);
  const scaleUp = s.groups.some((g) => g.scaleUpInProgress) ? 'InProgress' : 'NoActivity';
  const candidates = s.groups.reduce((n, g) => n + g.scaleDownCandidates, 0);
  const scaleDown = candidates > 0 ? 'CandidatesPresent' : 'NoCandidates';
  const doc = {
    time: now,
    autoscalerStatus: 'Running',
    clusterWide: {
      health: { status: 'Healthy', nodeCounts: counts(s.cluster, unregistered), ...condition(times, 'clusterWide.health', 'Healthy', now) },
      scaleUp: { status: scaleUp, ...condition(times, 'clusterWide.scaleUp', scaleUp, now) },
      scaleDown: { status: scaleDown, candidates, ...condition(times, 'clusterWide.scaleDown', scaleDown, now) },
    },
    nodeGroups: s.groups.map((g) => {
      const up = g.scaleUpInProgress ? 'InProgress' : 'NoActivity';
      const down = g.scaleDownCandidates > 0 ? 'CandidatesPresent' : 'NoCandidates';
      return {
        name: g.name,
        health: {
          status: 'Healthy',
          nodeCounts: counts(g.registered, g.unregistered),
          cloudProviderTarget: g.target,
          minSize: g.min,
          maxSize: g.max,
          ...condition(times, `${g.name}.health`, 'Healthy', now),
        },
        scaleUp: { status: up, ...condition(times, `${g.name}.scaleUp`, up, now) },
        scaleDown: { status: down, candidates: g.scaleDownCandidates, ...condition(times, `${g.name}.scaleDown`, down, now) },
      };
    }),
  };
  return stringify(doc);
}
