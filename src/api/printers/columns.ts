// Which columns the server prints for each kind, as Kubernetes' server-side printers
// (pkg/printers/internalversion/printers.go); kinds without printers get NAME and AGE.
import type { ColumnPrinter } from './columns/common.js';
import { AGE_COLUMN, NAME_COLUMN, age, createdAtColumns } from './columns/common.js';
import { daemonSetColumns, deploymentColumns, statefulSetColumns } from './columns/apps.js';
import { horizontalPodAutoscalerColumns } from './columns/autoscaling.js';
import { cronJobColumns, jobColumns } from './columns/batch.js';
import { leaseColumns } from './columns/coordination.js';
import { certificateSigningRequestColumns } from './columns/certificates.js';
import { configMapColumns, endpointsColumns, namespaceColumns, secretColumns, serviceAccountColumns } from './columns/core.js';
import { endpointSliceColumns } from './columns/discovery.js';
import { eventColumns } from './columns/event.js';
import { ingressColumns } from './columns/networking.js';
import { nodeColumns } from './columns/node.js';
import { podColumns } from './columns/pod.js';
import { limitRangeColumns, podDisruptionBudgetColumns, resourceQuotaColumns } from './columns/policy.js';
import { roleBindingColumns, roleColumns } from './columns/rbac.js';
import { replicaSetColumns, replicationControllerColumns } from './columns/replica-controllers.js';
import { priorityClassColumns } from './columns/scheduling.js';
import { serviceColumns } from './columns/service.js';
import { persistentVolumeClaimColumns, persistentVolumeColumns, storageClassColumns } from './columns/storage.js';

export type { ColumnPrinter } from './columns/common.js';

/** Keyed by `group/Kind` so a kind name reused by another group does not pick up these columns. */
const PRINTERS = new Map<string, ColumnPrinter>([
  ['/Pod', podColumns],
  ['/Service', serviceColumns],
  ['/Node', nodeColumns],
  ['/Namespace', namespaceColumns],
  ['/ConfigMap', configMapColumns],
  ['/Secret', secretColumns],
  ['/ServiceAccount', serviceAccountColumns],
  ['/Endpoints', endpointsColumns],
  ['/Event', eventColumns],
  ['/ReplicationController', replicationControllerColumns],
  ['/ResourceQuota', resourceQuotaColumns],
  ['/LimitRange', limitRangeColumns],
  ['policy/PodDisruptionBudget', podDisruptionBudgetColumns],
  ['/PersistentVolume', persistentVolumeColumns],
  ['/PersistentVolumeClaim', persistentVolumeClaimColumns],
  ['storage.k8s.io/StorageClass', storageClassColumns],
  ['scheduling.k8s.io/PriorityClass', priorityClassColumns],
  ['apps/Deployment', deploymentColumns],
  ['apps/DaemonSet', daemonSetColumns],
  ['apps/ReplicaSet', replicaSetColumns],
  ['apps/StatefulSet', statefulSetColumns],
  ['batch/Job', jobColumns],
  ['batch/CronJob', cronJobColumns],
  ['discovery.k8s.io/EndpointSlice', endpointSliceColumns],
  ['networking.k8s.io/Ingress', ingressColumns],
  ['autoscaling/HorizontalPodAutoscaler', horizontalPodAutoscalerColumns],
  ['coordination.k8s.io/Lease', leaseColumns],
  ['certificates.k8s.io/CertificateSigningRequest', certificateSigningRequestColumns],
  ['rbac.authorization.k8s.io/Role', roleColumns],
  ['rbac.authorization.k8s.io/ClusterRole', roleColumns],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingColumns],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', roleBindingColumns],
  ['apiextensions.k8s.io/CustomResourceDefinition', createdAtColumns],
]);

const DEFAULT_COLUMNS: ColumnPrinter = {
  columns: [NAME_COLUMN, AGE_COLUMN],
  cells: (obj, now) => [obj.metadata.name, age(obj, now)],
};

export function columnsFor(group: string, kind: string): ColumnPrinter {
  return PRINTERS.get(`${group}/${kind}`) ?? DEFAULT_COLUMNS;
}
