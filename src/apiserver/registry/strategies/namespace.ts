// Namespaces: the `kubernetes` finalizer the namespace controller removes once the namespace is
// empty, the `kubernetes.io/metadata.name` label that lets selectors pick namespaces by name, and
// phase Active.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isQualifiedName } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { invalidEach } from './field-errors.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';
const KUBERNETES_FINALIZER = 'kubernetes';

function applyDefaults(namespace: KubeObject): void {
  const name = namespace.metadata.name;
  if (name) namespace.metadata.labels = { ...namespace.metadata.labels, [NAME_LABEL]: name };
  const spec = (namespace.spec ??= {});
  // Only a namespace that has not been finalized gets the finalizer: an emptied list stays empty,
  // and a namespace being deleted never gets it back.
  if (spec.finalizers == null && !namespace.metadata.deletionTimestamp) spec.finalizers = [KUBERNETES_FINALIZER];
}

function validate(namespace: KubeObject): StatusCause[] {
  return (namespace.spec?.finalizers ?? []).flatMap((f: string, i: number) => invalidEach(`spec.finalizers[${i}]`, f, isQualifiedName(f)));
}

export const namespaceStrategy: Strategy = {
  applyDefaults,
  validate,
  initialStatus: () => ({ phase: 'Active' }),
};
