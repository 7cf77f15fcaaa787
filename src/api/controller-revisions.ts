// ControllerRevisions of a StatefulSet (or DaemonSet): each stores the pod template as a replacing
// patch, `{spec: {template: {..., $patch: replace}}}`. Read by the controller and by kctl rollout.
import type { KubeObject } from './types.js';

/** The pod template a revision holds. */
export function revisionTemplate(revision: KubeObject): KubeObject {
  const { $patch: _ignored, ...template } = revision.data?.spec?.template ?? {};
  return template as KubeObject;
}
