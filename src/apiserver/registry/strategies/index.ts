// The strategy of each resource kind; kinds without one of their own get the generic strategy.
import type { ResourceType } from '../../../api/resources.js';
import { genericStrategy, type Strategy } from './strategy.js';
import { conversionFor } from '../version-conversion.js';
import { convertedVersionStrategy } from './converted-version.js';
import { certificateSigningRequestStrategy } from './certificatesigningrequest.js';
import { configMapStrategy } from './configmap.js';
import { cronJobStrategy } from './cronjob.js';
import { customResourceDefinitionStrategy } from './customresourcedefinition.js';
import { customStrategyFor } from '../customresources/served-versions.js';
import { daemonSetStrategy } from './daemonset.js';
import { deploymentStrategy } from './deployment.js';
import { endpointsStrategy } from './endpoints.js';
import { endpointSliceStrategy } from './endpointslice.js';
import { horizontalPodAutoscalerStrategy } from './horizontalpodautoscaler.js';
import { ingressStrategy } from './ingress.js';
import { jobStrategy } from './job.js';
import { limitRangeStrategy } from './limitrange.js';
import { namespaceStrategy } from './namespace.js';
import { nodeStrategy } from './node.js';
import { podStrategy } from './pod.js';
import { podDisruptionBudgetStrategy } from './poddisruptionbudget.js';
import { priorityClassStrategy } from './priorityclass.js';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './rbac.js';
import { replicaSetStrategy } from './replicaset.js';
import { replicationControllerStrategy } from './replicationcontroller.js';
import { resourceQuotaStrategy } from './resourcequota.js';
import { secretStrategy } from './secret.js';
import { serviceStrategy } from './service.js';
import { statefulSetStrategy } from './statefulset.js';

export type { Strategy } from './strategy.js';

// ServiceAccount, Event and Lease have nothing beyond their schema and metadata.
const STRATEGIES: Record<string, Strategy> = {
  CertificateSigningRequest: certificateSigningRequestStrategy,
  ConfigMap: configMapStrategy,
  CronJob: cronJobStrategy,
  CustomResourceDefinition: customResourceDefinitionStrategy,
  DaemonSet: daemonSetStrategy,
  Deployment: deploymentStrategy,
  Endpoints: endpointsStrategy,
  EndpointSlice: endpointSliceStrategy,
  HorizontalPodAutoscaler: horizontalPodAutoscalerStrategy,
  Ingress: ingressStrategy,
  Job: jobStrategy,
  LimitRange: limitRangeStrategy,
  Namespace: namespaceStrategy,
  Node: nodeStrategy,
  Pod: podStrategy,
  PodDisruptionBudget: podDisruptionBudgetStrategy,
  PriorityClass: priorityClassStrategy,
  Role: roleStrategy,
  ClusterRole: clusterRoleStrategy,
  RoleBinding: roleBindingStrategy,
  ClusterRoleBinding: clusterRoleBindingStrategy,
  ReplicaSet: replicaSetStrategy,
  ReplicationController: replicationControllerStrategy,
  ResourceQuota: resourceQuotaStrategy,
  Secret: secretStrategy,
  Service: serviceStrategy,
  StatefulSet: statefulSetStrategy,
};

export function strategyFor(r: ResourceType): Strategy {
  if (r.custom) return customStrategyFor(r);
  const stored = STRATEGIES[r.kind] ?? genericStrategy;
  const conversion = conversionFor(r);
  return conversion ? convertedVersionStrategy(stored, conversion) : stored;
}
