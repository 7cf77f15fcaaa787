// What the Kubernetes API server's admission plugins do on create, in its order: the mutating
// ones (admitCreate) before the object is validated, the validating ones (validateCreate) after,
// ResourceQuota last. On update of the main resource only LimitRanger (claims) and ResourceQuota
// (services, claims) have something to say (validateUpdate).
import type { KubeObject } from '../../api/types.js';
import type { ResourceType } from '../../api/resources.js';
import { defaultClass, PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../../api/storage.js';
import { CRD_CLEANUP_FINALIZER } from '../../api/custom-resource-definitions.js';
import { admitServiceAccount, type ServiceAccountLookup } from './service-account-admission.js';
import { admitLimitRanges, applyLimitRangeDefaults } from './limit-ranger-admission.js';
import { admitResourceQuota, chargedOnUpdate, type QuotaCharge } from './resource-quota-admission.js';
import { podQOSClass } from './strategies/pod-qos.js';
import { isQuotaIgnored } from '../quota/evaluators.js';
import { admitPodPriority, admitPriorityClass } from './priority-admission.js';

export interface AdmissionOptions {
  /** DefaultTolerationSeconds: how long a pod stays on a not-ready or unreachable node. */
  defaultTolerationSeconds: number;
}

const admission: AdmissionOptions = { defaultTolerationSeconds: 300 };

export function configureAdmission(opts: Partial<AdmissionOptions>): void {
  Object.assign(admission, opts);
}

const NODE_PROBLEM_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** What plugins that read other objects need; the ServiceAccount plugin runs when `serviceAccounts` is given. */
export interface AdmissionContext {
  namespace?: string;
  serviceAccounts?: ServiceAccountLookup;
  /** The cluster's StorageClasses, for the DefaultStorageClass plugin. */
  storageClasses?: () => KubeObject[];
  /** The namespace's LimitRanges, for the LimitRanger plugin. */
  limitRanges?: () => KubeObject[];
  /** The namespace's ResourceQuotas, for the ResourceQuota plugin. */
  resourceQuotas?: () => KubeObject[];
  /** The cluster's PriorityClasses, for the Priority plugin. */
  priorityClasses?: () => KubeObject[];
}

/** The mutating plugins: DefaultStorageClass, StorageObjectInUseProtection, Priority, LimitRanger, DefaultTolerationSeconds, ServiceAccount. */
export function admitCreate(r: ResourceType, obj: KubeObject, ctx: AdmissionContext = {}): void {
  if (r.custom) return;
  // Deleting a definition first deletes its objects (the customresourcedefinition controller).
  if (r.kind === 'CustomResourceDefinition') addFinalizer(obj, CRD_CLEANUP_FINALIZER);
  if (r.kind === 'PersistentVolumeClaim' && ctx.storageClasses) admitDefaultStorageClass(obj, ctx.storageClasses());
  if (r.kind === 'PersistentVolumeClaim') addFinalizer(obj, PVC_PROTECTION_FINALIZER);
  if (r.kind === 'PersistentVolume') addFinalizer(obj, PV_PROTECTION_FINALIZER);
  if (r.kind === 'PriorityClass' && ctx.priorityClasses) admitPriorityClass(obj, ctx.priorityClasses());
  if (r.kind !== 'Pod' || r.group !== '') return;
  if (ctx.limitRanges) {
    applyLimitRangeDefaults(obj, ctx.limitRanges());
    // The defaults may lift the pod out of BestEffort.
    if (obj.status) obj.status.qosClass = podQOSClass(obj.spec);
  }
  addDefaultTolerations(obj);
  if (ctx.priorityClasses) admitPodPriority(obj, ctx.priorityClasses());
  if (ctx.serviceAccounts && ctx.namespace) admitServiceAccount(obj, ctx.namespace, ctx.serviceAccounts);
}

/**
 * The validating plugins on a validated object: LimitRanger's min/max, then ResourceQuota. Returns
 * the quota charges to write with the object; throws the plugin's 403.
 */
export function validateCreate(r: ResourceType, obj: KubeObject, ctx: AdmissionContext, now: number): QuotaCharge[] {
  const limited = r.group === '' && (r.kind === 'Pod' || r.kind === 'PersistentVolumeClaim');
  if (limited && ctx.limitRanges) admitLimitRanges(r, obj, ctx.limitRanges());
  // Events are never charged: their namespace's quotas are not even read (a scheduler writes one per pod).
  return ctx.resourceQuotas && !isQuotaIgnored(r) ? admitResourceQuota(r, obj, ctx.resourceQuotas(), now) : [];
}

/**
 * The same on an update of the main resource (subresources are never admitted by these plugins):
 * a claim is checked against the LimitRanges again (pods' containers cannot change), and what a
 * Service or claim now adds to its charge must fit the quotas. Objects being deleted are let go.
 */
export function validateUpdate(r: ResourceType, obj: KubeObject, old: KubeObject, ctx: AdmissionContext, now: number): QuotaCharge[] {
  if (!chargedOnUpdate(r) || obj.metadata.deletionTimestamp) return [];
  if (r.kind === 'PersistentVolumeClaim' && ctx.limitRanges) admitLimitRanges(r, obj, ctx.limitRanges());
  return ctx.resourceQuotas ? admitResourceQuota(r, obj, ctx.resourceQuotas(), now, old) : [];
}

// The DefaultTolerationSeconds plugin: pods tolerate a node problem for a while before eviction,
// unless they already say how long themselves.
function addDefaultTolerations(pod: KubeObject): void {
  const spec = pod.spec ?? (pod.spec = {});
  const tolerations: any[] = spec.tolerations ?? [];
  for (const key of NODE_PROBLEM_TAINTS) {
    const has = tolerations.some(
      (t) => (t.key === key || (t.operator === 'Exists' && !t.key)) && (!t.effect || t.effect === 'NoExecute'),
    );
    if (!has) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: admission.defaultTolerationSeconds });
    }
  }
  spec.tolerations = tolerations;
}

// The DefaultStorageClass plugin: a claim that names no class (absent, not "") gets the default one.
export function admitDefaultStorageClass(pvc: KubeObject, classes: KubeObject[]): void {
  const spec = pvc.spec ?? (pvc.spec = {});
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  const sc = defaultClass(classes);
  if (sc) spec.storageClassName = sc.metadata.name;
}

// The StorageObjectInUseProtection plugin: claims and volumes are not removed while in use; the
// PV controller lifts the finalizer once nothing uses them.
function addFinalizer(obj: KubeObject, finalizer: string): void {
  const finalizers: string[] = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
}
