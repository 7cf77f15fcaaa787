// Pure: which init container runs next. They run one at a time in spec order, each to a zero exit
// before the next starts; the app containers start only after the last one succeeded. A sidecar
// (an init container with restartPolicy Always) only has to be running for the next to start,
// and keeps running beside the app containers.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { RestartPolicy } from './crash-loop-backoff.js';

/** What the latest run of an init container did: none yet, created or running, or exited. */
export type InitRunState = 'none' | 'active' | 'succeeded' | 'failed';

export type InitStep =
  /** Bring this one along: create, start, or restart it after its back-off. */
  | { kind: 'run'; name: string }
  /** It failed and may not run again (restartPolicy Never): the pod has failed. */
  | { kind: 'failed'; name: string }
  /** All succeeded: the app containers may run. */
  | { kind: 'done' };

/** A failed init container runs again unless the pod never restarts; one that succeeded never does. */
export function initRestartPolicy(podPolicy: RestartPolicy): RestartPolicy {
  return podPolicy === 'Never' ? 'Never' : 'OnFailure';
}

export function isSidecar(c: Pick<Container, 'restartPolicy'>): boolean {
  return c.restartPolicy === 'Always';
}

export function nextInitStep(inits: Pick<Container, 'name' | 'restartPolicy'>[], state: (name: string) => InitRunState, podPolicy: RestartPolicy): InitStep {
  for (const { name, restartPolicy } of inits) {
    const s = state(name);
    if (isSidecar({ restartPolicy })) {
      if (s === 'active') continue;
      return { kind: 'run', name };
    }
    if (s === 'succeeded') continue;
    if (s === 'failed' && podPolicy === 'Never') return { kind: 'failed', name };
    return { kind: 'run', name };
  }
  return { kind: 'done' };
}
