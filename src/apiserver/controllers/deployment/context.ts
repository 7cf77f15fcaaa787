// What every part of a Deployment's sync (sync.ts, rolling.ts, recreate.ts, progress.ts) works
// with, as the methods of Kubernetes' DeploymentController share its fields.
import type { ApiClient } from '../../../api/client.js';
import type { EventRecorder } from '../../../api/event-recorder.js';
import type { KubeObject } from '../../../api/types.js';

export type Deployment = KubeObject;
export type ReplicaSet = KubeObject;

export interface DeploymentContext {
  client: ApiClient;
  recorder: EventRecorder;
  now(): number;
  /** The informer's copy of a ReplicaSet, for one that already exists when created. */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
  /** Sync the deployment again after delayMs (progress deadline checks). */
  requeueAfter(d: Deployment, delayMs: number): void;
}
