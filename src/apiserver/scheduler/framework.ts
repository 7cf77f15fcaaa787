// The scheduling framework's plugin interfaces, as kube-scheduler's: filters say whether a pod may
// go to a node (and why not, in the words that end up in the pod's Unschedulable message), scores
// rank the nodes that passed, each plugin's scores normalized to 0–100 and weighted.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from './node-info.js';
import type { KubeObject } from '../../api/types.js';

export const MAX_NODE_SCORE = 100;

/** What VolumeBinding reads of the cluster's claims, volumes and classes. */
export interface VolumeLookup {
  claim(namespace: string, name: string): KubeObject | undefined;
  volume(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
}

/** What one scheduling cycle knows: every node, for plugins that look across nodes (spreading, affinity). */
export interface CycleContext {
  nodes: readonly NodeInfo[];
  /** How many bound pods have required pod anti-affinity (they constrain every pod after them). */
  antiAffinityPods: number;
  /** Per-cycle data a plugin computed once for the pod (its pre-filter/pre-score result). */
  state: Map<string, unknown>;
  /** The cluster's claims and volumes, for VolumeBinding; absent, pods' claims are not checked. */
  volumes?: VolumeLookup;
}

/** Why a node does not fit; `reason` is counted across nodes in the message ("2 Insufficient cpu"). */
export interface FilterFailure {
  reason: string;
  /** The node's further reasons, each counted too, as a Status with several reasons (NodeResourcesFit: every insufficient resource). */
  otherReasons?: readonly string[];
  /** No other node change (e.g. freeing resources by preemption) would help. */
  unresolvable?: boolean;
}

/**
 * A preFilter's or preScore's answer that the plugin has nothing to do for this pod (kube-scheduler's
 * Skip status): its filter would pass every node, or its score give every node the same, so it is
 * not run. Most pods ask for no affinity, spreading, ports or volumes: at 5,000 nodes a pod is
 * checked against 500 of them, and only the plugins that can tell nodes apart run for each.
 */
export const SKIP = 'Skip';
export type Skip = typeof SKIP;

export interface FilterPlugin {
  readonly name: string;
  /** Computed once per pod before filtering; returns a failure for all nodes at once, SKIP, or nothing. */
  preFilter?(pod: Pod, ctx: CycleContext): FilterFailure | Skip | undefined;
  filter(pod: Pod, node: NodeInfo, ctx: CycleContext): FilterFailure | undefined;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Computed once per pod before scoring; SKIP when every feasible node would get the same score. */
  preScore?(pod: Pod, feasible: readonly NodeInfo[], ctx: CycleContext): Skip | undefined;
  score(pod: Pod, node: NodeInfo, ctx: CycleContext): number;
  /** Maps raw scores (in node order) onto 0–MAX_NODE_SCORE; absent when scores already are. */
  normalize?(scores: number[]): void;
}

/** Scales scores so the highest becomes MAX_NODE_SCORE (or the lowest, when `reverse`), as DefaultNormalizeScore. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  const max = Math.max(0, ...scores);
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? MAX_NODE_SCORE : 0;
    else {
      const s = Math.floor((MAX_NODE_SCORE * scores[i]) / max);
      scores[i] = reverse ? MAX_NODE_SCORE - s : s;
    }
  }
}
