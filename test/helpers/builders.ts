// The pods and Deployments tests start from, as a user writes them: one busybox container named
// c, with what a test is about given as options (its container's fields, the pod spec's others,
// labels and the rest of the metadata). Tests build on these instead of builders of their own.
import type { KubeObject } from '../../src/api/types.js';

export const TEST_IMAGE = 'busybox:1.35';

export interface PodOptions {
  /** Fields of the one container beside name c and image busybox:1.35 (which they may replace). */
  container?: Record<string, unknown>;
  /** Fields of the pod spec beside its container (a `containers` here replaces it). */
  spec?: Record<string, unknown>;
  labels?: Record<string, string>;
  /** The rest of the metadata: namespace, annotations, ownerReferences... */
  metadata?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function podSpec(o: PodOptions): Record<string, unknown> {
  return { containers: [{ name: 'c', image: TEST_IMAGE, ...o.container }], ...o.spec };
}

export function pod(name: string, o: PodOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}), ...o.metadata },
    spec: podSpec(o),
    ...(o.status ? { status: o.status } : {}),
  };
}

export interface DeploymentOptions extends Omit<PodOptions, 'status'> {
  replicas?: number;
  /** Fields of the Deployment's spec beside replicas, selector and template (strategy, paused...). */
  deploymentSpec?: Record<string, unknown>;
}

/** A Deployment whose pods carry its labels (app: NAME unless given), which are also its selector. */
export function deployment(name: string, o: DeploymentOptions = {}): KubeObject {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...o.metadata },
    spec: { replicas: o.replicas ?? 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(o) }, ...o.deploymentSpec },
  };
}
