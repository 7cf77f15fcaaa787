// Pure: the kubelet's per-probe state (prober/worker.go). Each tick decides whether to probe;
// each probe's outcome counts toward the success or failure threshold, and only a run that
// reaches its threshold changes the published result.
import type { Probe } from 'kubernetes-types/core/v1.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** The kubelet's names for the kinds, as its events and messages spell them. */
export const PROBE_TITLES: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

/** Where each kind's probe lives in a container's spec. */
export const PROBE_FIELDS = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' } as const;

// Readiness starts failed (a container is not ready before its probe says so); liveness starts
// successful (no kill before a failure); startup is unknown until it has run.
const INITIAL_RESULTS: Record<ProbeKind, ProbeResult> = { liveness: 'success', readiness: 'failure', startup: 'unknown' };

export interface ProbeTiming {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** The probe's timing with Kubernetes' defaults, where 0 means unset as it does in the API. */
export function probeTiming(probe: Probe): ProbeTiming {
  return {
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    periodSeconds: probe.periodSeconds || 10,
    timeoutSeconds: probe.timeoutSeconds || 1,
    successThreshold: probe.successThreshold || 1,
    failureThreshold: probe.failureThreshold || 3,
  };
}

/** What a tick does: probe now, wait for the next tick, or never probe this container again. */
export type TickDecision = 'probe' | 'wait' | 'stop';

export class ProbeState {
  private published: ProbeResult;
  private last: 'success' | 'failure' | undefined;
  private run = 0;
  private onHold = false;

  constructor(
    readonly kind: ProbeKind,
    readonly timing: ProbeTiming,
    /** When the container's run started (ms since the epoch): the initial delay counts from it. */
    private readonly containerStartedAt: number,
  ) {
    this.published = INITIAL_RESULTS[kind];
  }

  get result(): ProbeResult {
    return this.published;
  }

  /** `started`: whether the container passed its startup probe (true without one). */
  decide(now: number, started: boolean): TickDecision {
    // A failed liveness or startup probe means the container gets killed: probing a container
    // being stopped only races the stop.
    if (this.onHold) return 'stop';
    // Whole seconds, as the kubelet truncates the container's age.
    if (Math.floor((now - this.containerStartedAt) / 1000) < this.timing.initialDelaySeconds) return 'wait';
    if (this.kind === 'startup') return started ? 'stop' : 'probe';
    // Liveness and readiness wait for the startup probe.
    return started ? 'probe' : 'wait';
  }

  /** Counts one probe's outcome; answers whether the published result changed. */
  record(outcome: 'success' | 'failure'): boolean {
    if (this.last === outcome) this.run++;
    else {
      this.last = outcome;
      this.run = 1;
    }
    const threshold = outcome === 'success' ? this.timing.successThreshold : this.timing.failureThreshold;
    if (this.run < threshold) return false;
    const changed = this.published !== outcome;
    this.published = outcome;
    if (outcome === 'failure' && this.kind !== 'readiness') {
      this.onHold = true;
      this.run = 0;
    }
    return changed;
  }
}

/** What the probes say of a running container: the container status' `started` and `ready`. */
export interface ProbedStatus {
  started: boolean;
  ready: boolean;
}

/**
 * The kubelet's UpdatePodStatus for a running container, given its startup and readiness
 * probes' results (undefined: the container has no such probe). A container that has not
 * started is never ready.
 */
export function probedStatus(startup: ProbeResult | undefined, readiness: ProbeResult | undefined): ProbedStatus {
  const started = startup === undefined || startup === 'success';
  return { started, ready: started && (readiness === undefined || readiness === 'success') };
}
