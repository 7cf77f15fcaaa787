// The pods, Deployments, Services and Nodes tests start from, as a user (or, for a Node, its agent) writes
// them: one busybox container named c, with what a test is about given as options (its
// container's fields, the pod spec's others, labels and the rest of the metadata). Tests build on
// these instead of builders of their own.
import type { KubeObject } from '../../src/api/types.js';

export const TEST_IMAGE = 'busybox:1.35';

export interface PodOptions {
  /** Fields of the one container beside name c and image busybox:1.35 (which they may replace). */
  container?: Record<string, unknown>;
  /** The container's resources.requests (cpu, memory...), what the scheduler and quotas count. */
  requests?: Record<string, string>;
  /** Fields of the pod spec beside its container (a `containers` here replaces it). */
  spec?: Record<string, unknown>;
  /** The node the pod is bound to (spec.nodeName), as the scheduler leaves it. */
  node?: string;
  labels?: Record<string, string>;
  /** The rest of the metadata: namespace, annotations, deletionTimestamp... */
  metadata?: Record<string, unknown>;
  /** Its controller: one ownerReference to it with controller: true. */
  owner?: { apiVersion: string; kind: string; name: string; uid: string };
  /** status.phase. */
  phase?: string;
  /** status.conditions: one Ready condition, True or False; a time: True since then (its lastTransitionTime). */
  ready?: boolean | string;
  /** status.containerStatuses: container c, restarted this many times. */
  restarts?: number;
  /** The rest of the status (podIP, containerStatuses...), or conditions of its own. */
  status?: Record<string, unknown>;
}

function podSpec(o: PodOptions): Record<string, unknown> {
  const resources = o.requests ? { resources: { requests: o.requests } } : {};
  return { containers: [{ name: 'c', image: TEST_IMAGE, ...resources, ...o.container }], ...(o.node !== undefined ? { nodeName: o.node } : {}), ...o.spec };
}

function podStatus(o: PodOptions): Record<string, unknown> | undefined {
  if (o.phase === undefined && o.ready === undefined && o.restarts === undefined && !o.status) return undefined;
  const since = typeof o.ready === 'string' ? { lastTransitionTime: o.ready } : {};
  return {
    ...(o.phase !== undefined ? { phase: o.phase } : {}),
    ...(o.ready !== undefined ? { conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', ...since }] } : {}),
    ...(o.restarts !== undefined ? { containerStatuses: [{ name: 'c', restartCount: o.restarts }] } : {}),
    ...o.status,
  };
}

export function pod(name: string, o: PodOptions = {}): KubeObject {
  const status = podStatus(o);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.owner ? { ownerReferences: [{ ...o.owner, controller: true }] } : {}),
      ...o.metadata,
    },
    spec: podSpec(o),
    ...(status ? { status } : {}),
  };
}

export interface DeploymentOptions extends Omit<PodOptions, 'status' | 'phase' | 'ready' | 'restarts' | 'node' | 'owner'> {
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

export interface NodeOptions {
  /** Labels beside kubernetes.io/hostname: NAME. */
  labels?: Record<string, string>;
  /** What the node offers pods, over cpu 2, memory 4Gi and 110 pods. */
  allocatable?: Record<string, string>;
  taints?: Array<Record<string, unknown>>;
  unschedulable?: boolean;
  /** Its Ready condition's status: True unless given (False, Unknown). */
  ready?: string;
  /** The rest of the metadata: annotations, uid... */
  metadata?: Record<string, unknown>;
}

/** A registered Node as its agent reports it: Ready, with what it can hold. */
export function node(name: string, o: NodeOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels }, ...o.metadata },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: '2', memory: '4Gi', pods: '110', ...o.allocatable },
      conditions: [{ type: 'Ready', status: o.ready ?? 'True' }],
    },
  };
}

export interface ServiceOptions {
  /** Its ports: port 80 unless given. */
  ports?: Array<Record<string, unknown>>;
  /** Fields of the spec beside selector and ports (type, clusterIP...), which may replace them. */
  spec?: Record<string, unknown>;
  /** The rest of the metadata: namespace, uid, labels... */
  metadata?: Record<string, unknown>;
}

/** A Service in front of the pods labelled app: NAME, as deployment() labels them. */
export function service(name: string, o: ServiceOptions = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...o.metadata }, spec: { selector: { app: name }, ports: o.ports ?? [{ port: 80 }], ...o.spec } };
}
