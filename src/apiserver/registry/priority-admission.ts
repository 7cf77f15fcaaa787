// The Priority admission plugin: a pod's priorityClassName resolved to spec.priority (and its
// class's preemptionPolicy) on create, the globalDefault class for pods naming none, an unknown
// class refused; and at most one globalDefault PriorityClass.
import { ApiError } from '../../api/errors.js';
import { defaultPriorityClass } from '../../api/priority.js';
import type { KubeObject } from '../../api/types.js';

function forbidden(plural: string, name: string | undefined, why: string): ApiError {
  return new ApiError('Forbidden', `${plural} "${name ?? ''}" is forbidden: ${why}`, { name: name ?? '', kind: plural });
}

export function admitPodPriority(pod: KubeObject, classes: readonly KubeObject[]): void {
  const spec = (pod.spec ??= {});
  let priority = 0;
  let policy: string | undefined;
  if (!spec.priorityClassName) {
    const dflt = defaultPriorityClass(classes);
    if (dflt) {
      spec.priorityClassName = dflt.metadata.name;
      priority = dflt.value ?? 0;
      policy = dflt.preemptionPolicy;
    }
  } else {
    const pc = classes.find((c) => c.metadata.name === spec.priorityClassName);
    if (!pc) throw forbidden('pods', pod.metadata.name, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value ?? 0;
    policy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbidden(
      'pods',
      pod.metadata.name,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (policy) {
    if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
      throw forbidden(
        'pods',
        pod.metadata.name,
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
      );
    }
    spec.preemptionPolicy = policy;
  }
}

/** A second globalDefault class is refused, on create and on an update of another class. */
export function admitPriorityClass(pc: KubeObject, classes: readonly KubeObject[]): void {
  if (pc.globalDefault !== true) return;
  const dflt = defaultPriorityClass(classes.filter((c) => c.metadata.name !== pc.metadata.name));
  if (dflt) throw forbidden('priorityclasses.scheduling.k8s.io', pc.metadata.name, `PriorityClass ${dflt.metadata.name} is already marked as default. Only one default can exist`);
}
