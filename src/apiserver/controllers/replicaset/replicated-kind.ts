// What differs between ReplicaSets and ReplicationControllers for the one controller that runs
// both: the resource, the selector's form (structured and set-based vs. a plain label map) and the
// component that signs the events.
import { labelSelectorAsSelector, labelSelectorFromSet, type Selector } from '../../../api/label-selector.js';
import { findByKind, type ResourceType } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';

export interface ReplicatedKind {
  resource: ResourceType;
  apiVersion: string;
  kind: string;
  component: string;
  selector(owner: KubeObject): Selector;
}

export const REPLICA_SET: ReplicatedKind = {
  resource: findByKind('ReplicaSet')!,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selector: (rs) => labelSelectorAsSelector(rs.spec?.selector),
};

export const REPLICATION_CONTROLLER: ReplicatedKind = {
  resource: findByKind('ReplicationController')!,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: 'replication-controller',
  // An empty map would select everything; validation refuses it, and a controller must never own every pod.
  selector: (rc) => (Object.keys(rc.spec?.selector ?? {}).length ? labelSelectorFromSet(rc.spec.selector) : labelSelectorAsSelector(undefined)),
};
