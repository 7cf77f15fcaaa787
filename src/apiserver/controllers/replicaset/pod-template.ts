// The pod a ReplicaSet or ReplicationController makes from its template (Kubernetes'
// GetPodFromTemplate): `<owner>-<5 random characters>` through generateName, the template's
// labels, annotations and finalizers, and a controller reference to the owner.
import type { KubeObject } from '../../../api/types.js';
import { controllerReference } from '../controller-ref.js';

export function podFromTemplate(owner: KubeObject): KubeObject {
  const template = owner.spec?.template ?? {};
  const meta = template.metadata ?? {};
  if (!Object.keys(meta.labels ?? {}).length) throw new Error('unable to create pods, no labels');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...meta.labels },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers?.length ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerReference(owner)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}
