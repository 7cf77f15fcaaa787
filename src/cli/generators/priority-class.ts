// The PriorityClass `kubectl create priorityclass NAME --value=N` builds.
import type { KubeObject } from '../../api/types.js';
import { typedObject } from './typed-object.js';

export interface PriorityClassFlags {
  value: number;
  globalDefault: boolean;
  description: string;
  preemptionPolicy: string;
}

export function priorityClassFor(name: string, f: PriorityClassFlags): KubeObject {
  const pc = typedObject('scheduling.k8s.io/v1', 'PriorityClass', name);
  pc.value = f.value;
  if (f.globalDefault) pc.globalDefault = true;
  if (f.description) pc.description = f.description;
  pc.preemptionPolicy = f.preemptionPolicy;
  return pc;
}
