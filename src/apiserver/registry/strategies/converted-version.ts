// The strategy of a kind's other served version (autoscaling/v1 HorizontalPodAutoscalers): the
// stored version's strategy run on the object converted to it, as Kubernetes defaults and validates
// the internal version whatever version was sent. Field paths in errors are the stored version's,
// as Kubernetes' are the internal version's (v1's targetCPUUtilizationPercentage is reported at
// spec.metrics[0].resource.target.averageUtilization).
import type { KubeObject } from '../../../api/types.js';
import type { VersionConversion } from '../version-conversion.js';
import type { Strategy } from './strategy.js';

/** Replaces what obj holds (strategies change the object they are given). */
function replaceContents(obj: KubeObject, next: KubeObject): void {
  for (const key of Object.keys(obj)) delete (obj as Record<string, unknown>)[key];
  Object.assign(obj, next);
}

export function convertedVersionStrategy(stored: Strategy, c: VersionConversion): Strategy {
  const inStored = (obj: KubeObject, change: (o: KubeObject) => void) => {
    const o = c.toStored(obj);
    change(o);
    replaceContents(obj, c.toServed(o));
  };
  return {
    ...(stored.prepareForUpdate ? { prepareForUpdate: (obj, old) => inStored(obj, (o) => stored.prepareForUpdate!(o, c.toStored(old))) } : {}),
    applyDefaults: (obj) => inStored(obj, (o) => stored.applyDefaults(o)),
    validate: (obj, old) => stored.validate(c.toStored(obj), old && c.toStored(old)),
    ...(stored.validateUpdate ? { validateUpdate: (obj, old) => stored.validateUpdate!(c.toStored(obj), c.toStored(old)) } : {}),
    ...(stored.mergeSubresource
      ? {
          mergeSubresource: (sub, sent, old) => {
            const merged = stored.mergeSubresource!(sub, c.toStored(sent), c.toStored(old));
            return merged && c.toServed(merged);
          },
        }
      : {}),
    ...(stored.initialStatus ? { initialStatus: (obj) => c.toServed({ ...c.toStored(obj), status: stored.initialStatus!(c.toStored(obj)) }).status } : {}),
  };
}
