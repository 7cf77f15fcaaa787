// The contract between the `describe` command and the per-kind describers.
import type { KubeObject } from '../../api/types.js';

export interface DescribeContext {
  /** The clock ages are computed against. */
  now: Date;
  /** Events whose involvedObject is the described object; undefined with --show-events=false (no Events section). */
  events?: KubeObject[];
  /** What the describer's `related` asked for, by request name. */
  related: Record<string, KubeObject[]>;
}

/** A list the command must fetch before describing: a name for the result, and what to list. */
export interface RelatedRequest {
  name: string;
  /** Plural resource name, e.g. `replicasets`. */
  resource: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface Describer {
  /** What else must be fetched to describe obj, e.g. a Deployment's ReplicaSets, a Node's pods, a Service's Endpoints. */
  related?(obj: KubeObject): RelatedRequest[];
  describe(obj: KubeObject, ctx: DescribeContext): string;
}
