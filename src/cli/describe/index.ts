// `kctl describe` output: the text `kubectl describe` prints, one describer per kind.
import { configMapDescriber } from './configmap.js';
import { cronJobDescriber } from './cronjob.js';
import { daemonSetDescriber } from './daemonset.js';
import { deploymentDescriber } from './deployment.js';
import { endpointsDescriber } from './endpoints.js';
import { genericDescriber } from './generic.js';
import { horizontalPodAutoscalerDescriber } from './hpa.js';
import { ingressDescriber } from './ingress.js';
import { jobDescriber } from './job.js';
import { limitRangeDescriber } from './limitrange.js';
import { namespaceDescriber } from './namespace.js';
import { nodeDescriber } from './node.js';
import { podDescriber } from './pod.js';
import { podDisruptionBudgetDescriber } from './poddisruptionbudget.js';
import { replicaSetDescriber } from './replicaset.js';
import { resourceQuotaDescriber } from './resourcequota.js';
import { statefulSetDescriber } from './statefulset.js';
import { persistentVolumeClaimDescriber, persistentVolumeDescriber, storageClassDescriber } from './storage.js';
import { replicationControllerDescriber } from './replicationcontroller.js';
import { secretDescriber } from './secret.js';
import { serviceDescriber } from './service.js';
import { serviceAccountDescriber } from './serviceaccount.js';
import type { Describer } from './types.js';

export type { DescribeContext, Describer, RelatedRequest } from './types.js';

// Lease and Event have no dedicated describer in kubectl either: they get the generic one.
const DESCRIBERS: Record<string, Describer> = {
  Pod: podDescriber,
  Deployment: deploymentDescriber,
  ReplicaSet: replicaSetDescriber,
  StatefulSet: statefulSetDescriber,
  DaemonSet: daemonSetDescriber,
  PersistentVolume: persistentVolumeDescriber,
  PersistentVolumeClaim: persistentVolumeClaimDescriber,
  StorageClass: storageClassDescriber,
  ReplicationController: replicationControllerDescriber,
  Job: jobDescriber,
  CronJob: cronJobDescriber,
  Service: serviceDescriber,
  Endpoints: endpointsDescriber,
  Ingress: ingressDescriber,
  Node: nodeDescriber,
  Namespace: namespaceDescriber,
  ConfigMap: configMapDescriber,
  Secret: secretDescriber,
  ServiceAccount: serviceAccountDescriber,
  HorizontalPodAutoscaler: horizontalPodAutoscalerDescriber,
  PodDisruptionBudget: podDisruptionBudgetDescriber,
  ResourceQuota: resourceQuotaDescriber,
  LimitRange: limitRangeDescriber,
};

export function describerFor(kind: string): Describer {
  return DESCRIBERS[kind] ?? genericDescriber;
}
