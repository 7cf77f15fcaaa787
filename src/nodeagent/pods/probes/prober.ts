// One probe run as the kubelet's prober: picks the handler (exec, httpGet, tcpSocket), resolves
// its target (the pod IP, a named container port), retries a run that errored, and records the
// Unhealthy / ProbeWarning events with the kubelet's texts.
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../../api/event-recorder.js';
import type { DockerClient } from '../../docker/docker-client.js';
import { podReference } from '../pod-reference.js';
import { execProbe } from './exec-probe.js';
import { httpProbe } from './http-probe.js';
import type { ProbeOutcome } from './probe-outcome.js';
import { PROBE_TITLES, type ProbeKind } from './probe-state.js';
import { tcpProbe } from './tcp-probe.js';

/** The kubelet tries a probe that errored (rather than failed) this many times in one run. */
const MAX_PROBE_ATTEMPTS = 3;

/** The container a probe runs against. */
export interface ProbeTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  /** The sandbox's IP, the default host of httpGet and tcpSocket probes. */
  podIP?: string;
}

/** The kubelet's probe.ResolveContainerPort: a number, a named container port, or a number in a string. */
export function resolvePort(port: number | string, container: Container): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else {
    const named = container.ports?.find((p) => p.name === port)?.containerPort;
    if (named !== undefined) n = named;
    else if (/^[+-]?\d+$/.test(port)) n = Number(port);
    else throw new Error(`strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`);
  }
  if (n > 0 && n < 65536) return n;
  throw new Error(`invalid port number: ${n}`);
}

function probeHost(explicit: string | undefined, target: ProbeTarget): string {
  if (explicit) return explicit;
  if (!target.podIP) throw new Error(`pod ${target.pod.metadata?.name} has no IP address yet`);
  return target.podIP;
}

/** Runs the probe's handler once; throws when it could not run at all. */
export function runHandler(docker: DockerClient, probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  if (probe.exec) return execProbe(docker, target.containerId, probe.exec.command ?? [], timeoutMs);
  if (probe.httpGet) {
    const h = probe.httpGet;
    return httpProbe(
      {
        scheme: h.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP',
        host: probeHost(h.host, target),
        port: resolvePort(h.port, target.container),
        path: h.path || '/',
        headers: h.httpHeaders ?? [],
      },
      timeoutMs,
    );
  }
  if (probe.tcpSocket) return tcpProbe(probeHost(probe.tcpSocket.host, target), resolvePort(probe.tcpSocket.port, target.container), timeoutMs);
  if (probe.grpc) throw new Error('gRPC probes are not supported by this node agent');
  throw new Error(`missing probe handler for ${target.pod.metadata?.name}_${target.pod.metadata?.namespace}(${target.pod.metadata?.uid}):${target.container.name}`);
}

export class Prober {
  constructor(
    private readonly docker: DockerClient,
    private readonly events: EventRecorder,
  ) {}

  /** The run's result; undefined when the probe errored, which the kubelet does not count. */
  async probe(kind: ProbeKind, probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<'success' | 'failure' | undefined> {
    const title = PROBE_TITLES[kind];
    const ref = { ...podReference(target.pod), fieldPath: `spec.containers{${target.container.name}}` };
    let error: Error | undefined;
    for (let attempt = 0; attempt < MAX_PROBE_ATTEMPTS; attempt++) {
      try {
        const outcome = await runHandler(this.docker, probe, target, timeoutMs);
        if (outcome.result === 'failure') {
          this.events.event(ref, 'Warning', 'Unhealthy', `${title} probe failed: ${outcome.output}`);
          return 'failure';
        }
        if (outcome.result === 'warning') this.events.event(ref, 'Warning', 'ProbeWarning', `${title} probe warning: ${outcome.output}`);
        return 'success';
      } catch (err) {
        error = err as Error;
      }
    }
    this.events.event(ref, 'Warning', 'Unhealthy', `${title} probe errored and resulted in unknown state: ${error?.message}`);
    return undefined;
  }
}
