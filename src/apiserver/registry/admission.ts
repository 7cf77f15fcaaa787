// Mutations the Kubernetes API server makes on create through its admission plugins.
import type { KubeObject } from '../../api/types.js';
import type { ResourceType } from '../../api/resources.js';
import { admitServiceAccount, type ServiceAccountLookup } from './service-account-admission.js';

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
}

export function admitCreate(r: ResourceType, obj: KubeObject, ctx: AdmissionContext = {}): void {
  if (r.kind !== 'Pod') return;
  addDefaultTolerations(obj);
  if (ctx.serviceAccounts && ctx.namespace) admitServiceAccount(obj, ctx.namespace, ctx.serviceAccounts);
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
