// Pure: what the Docker containers of one pod container (its runs) say about it — which run it
// is, whether it runs again under the pod's restart policy, and after what back-off.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerInspect } from '../docker/types.js';
import { BACKOFF_LABEL, RESTART_COUNT_LABEL } from './containers.js';
import { restartBackOff, shouldRestart, type RestartBackOff, type RestartPolicy } from './crash-loop-backoff.js';
import { initRestartPolicy, isSidecar, type InitRunState } from './init-containers.js';

/** Which run of its container this is: 0 first, one more per restart. */
export function attempt(c: ContainerInspect): number {
  return Number(c.Config.Labels?.[RESTART_COUNT_LABEL] ?? 0);
}

export function exited(c: ContainerInspect): boolean {
  return c.State.Status === 'exited' || c.State.Status === 'dead';
}

export function podRestartPolicy(pod: Pod): RestartPolicy {
  return (pod.spec?.restartPolicy ?? 'Always') as RestartPolicy;
}

/** The policy a container runs under: init containers never run again after a success, sidecars always do. */
export function restartPolicyOf(pod: Pod, name: string): RestartPolicy {
  const init = pod.spec?.initContainers?.find((c) => c.name === name);
  if (!init) return podRestartPolicy(pod);
  return isSidecar(init) ? 'Always' : initRestartPolicy(podRestartPolicy(pod));
}

export function initRunState(latest: ContainerInspect | undefined): InitRunState {
  if (!latest) return 'none';
  if (!exited(latest)) return 'active';
  return latest.State.ExitCode === 0 ? 'succeeded' : 'failed';
}

/** The back-off before the exited run `c` runs again, or undefined when it does not. */
export function pendingRestart(policy: RestartPolicy, c: ContainerInspect): RestartBackOff | undefined {
  if (!exited(c) || !shouldRestart(policy, c.State.ExitCode)) return undefined;
  const waited = c.Config.Labels?.[BACKOFF_LABEL];
  return restartBackOff({
    waitedMs: waited === undefined ? undefined : Number(waited),
    startedAt: Date.parse(c.State.StartedAt),
    finishedAt: Date.parse(c.State.FinishedAt),
  });
}
