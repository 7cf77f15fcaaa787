// The node's probes: one worker per (pod, container, probe kind) while the container runs, a new
// one for each new run of it (a restarted container starts over, readiness false again). Result
// changes ask for a pod sync; the sync reads the results into the status and kills containers
// whose liveness or startup probe failed.
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../../api/event-recorder.js';
import type { DockerClient } from '../../docker/docker-client.js';
import type { ContainerInspect } from '../../docker/types.js';
import type { KillRequest } from '../container-killer.js';
import { POD_NETWORK } from '../../../api/cluster-network.js';
import { probeKillGraceSeconds, probeKillMessage, type KillingProbe } from './probe-kill.js';
import { PROBE_FIELDS, ProbeState, probeTiming, probedStatus, type ProbeKind, type ProbedStatus } from './probe-state.js';
import { ProbeWorker, systemClock, type Clock } from './probe-worker.js';
import { Prober } from './prober.js';

const KINDS: ProbeKind[] = ['startup', 'liveness', 'readiness'];
const KILLING_PROBES: KillingProbe[] = ['startup', 'liveness'];

export interface ProberManagerOptions {
  docker: DockerClient;
  events: EventRecorder;
  /** A probe's result changed: the pod needs a sync (its status, or a kill). */
  onChange(podUid: string): void;
  clock?: Clock;
}

interface Entry {
  containerId: string;
  worker: ProbeWorker;
}

const entryKey = (container: string, kind: ProbeKind) => `${container}/${kind}`;

function podIPOf(sandbox: ContainerInspect | undefined): string | undefined {
  return sandbox?.NetworkSettings.Networks[POD_NETWORK]?.IPAddress || undefined;
}

/** By container name: its latest run, when that run is running. */
function runningContainers(runs: Map<string, ContainerInspect[]>): Map<string, ContainerInspect> {
  const running = new Map<string, ContainerInspect>();
  for (const [name, list] of runs) if (list[0]?.State.Running) running.set(name, list[0]);
  return running;
}

export class ProberManager {
  /** By pod UID, then by entryKey. */
  private readonly pods = new Map<string, Map<string, Entry>>();
  private readonly prober: Prober;
  private readonly clock: Clock;

  constructor(private readonly o: ProberManagerOptions) {
    this.prober = new Prober(o.docker, o.events);
    this.clock = o.clock ?? systemClock;
  }

  /**
   * Matches the workers to what runs now: the pod's containers by name, latest run first.
   * Answers the probed status of each running container that has a startup or readiness probe.
   */
  observe(pod: Pod, sandbox: ContainerInspect | undefined, runs: Map<string, ContainerInspect[]>): Map<string, ProbedStatus> {
    const uid = pod.metadata!.uid!;
    const running = runningContainers(runs);
    const entries = this.pods.get(uid) ?? new Map<string, Entry>();
    const wanted = new Set<string>();
    const podIP = podIPOf(sandbox);
    const fresh: ProbeWorker[] = [];
    for (const container of pod.spec?.containers ?? []) {
      const run = running.get(container.name);
      for (const kind of KINDS) {
        const probe = container[PROBE_FIELDS[kind]];
        if (!run || !probe) continue;
        const key = entryKey(container.name, kind);
        wanted.add(key);
        const entry = entries.get(key);
        if (entry?.containerId === run.Id) continue;
        entry?.worker.stop();
        const worker = this.newWorker(pod, container, kind, probe, run, podIP);
        entries.set(key, { containerId: run.Id, worker });
        fresh.push(worker);
      }
    }
    for (const [key, entry] of entries) {
      if (wanted.has(key)) continue;
      entry.worker.stop();
      entries.delete(key);
    }
    if (entries.size > 0) this.pods.set(uid, entries);
    else this.pods.delete(uid);
    // Only now: a first tick asks for the container's other workers (has it started?).
    for (const worker of fresh) worker.start();

    const statuses = new Map<string, ProbedStatus>();
    for (const name of running.keys()) {
      const startup = entries.get(entryKey(name, 'startup'))?.worker.state.result;
      const readiness = entries.get(entryKey(name, 'readiness'))?.worker.state.result;
      if (startup !== undefined || readiness !== undefined) statuses.set(name, probedStatus(startup, readiness));
    }
    return statuses;
  }

  /**
   * Kills (through the pod sync's `kill`, which records the Killing event) the running containers
   * whose liveness or startup probe failed; the restart policy then decides. Answers whether it
   * killed any.
   */
  async killUnhealthy(
    pod: Pod,
    sandbox: ContainerInspect | undefined,
    runs: Map<string, ContainerInspect[]>,
    kill: (r: KillRequest) => Promise<void>,
  ): Promise<boolean> {
    const entries = this.pods.get(pod.metadata!.uid!);
    if (!entries) return false;
    const kills: Promise<void>[] = [];
    for (const [name, run] of runningContainers(runs)) {
      const container = pod.spec?.containers?.find((c) => c.name === name);
      const probe = KILLING_PROBES.find((kind) => {
        const entry = entries.get(entryKey(name, kind));
        return entry?.containerId === run.Id && entry.worker.state.result === 'failure';
      });
      if (!container || !probe) continue;
      const graceSeconds = probeKillGraceSeconds(pod, container, probe);
      kills.push(kill({ pod, name, running: run, graceSeconds, podIP: podIPOf(sandbox), message: probeKillMessage(pod, name, probe) }));
    }
    await Promise.all(kills);
    return kills.length > 0;
  }

  /** The pod is going (deleted, or its containers are being torn down): no more probes. */
  removePod(uid: string): void {
    for (const entry of this.pods.get(uid)?.values() ?? []) entry.worker.stop();
    this.pods.delete(uid);
  }

  stop(): void {
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  private newWorker(pod: Pod, container: Container, kind: ProbeKind, probe: Probe, run: ContainerInspect, podIP: string | undefined): ProbeWorker {
    const uid = pod.metadata!.uid!;
    const timing = probeTiming(probe);
    const target = { pod, container, containerId: run.Id, podIP };
    return new ProbeWorker(new ProbeState(kind, timing, Date.parse(run.State.StartedAt)), {
      clock: this.clock,
      probe: () => this.prober.probe(kind, probe, target, timing.timeoutSeconds * 1000),
      started: () => this.started(uid, container.name, run.Id),
      onChange: (result) => {
        // The kubelet probes readiness at once when the container's status changes, rather
        // than leave a just-started container unready for up to a period.
        if (kind === 'startup' && result === 'success') this.entry(uid, container.name, 'readiness', run.Id)?.worker.trigger();
        this.o.onChange(uid);
      },
    });
  }

  private entry(uid: string, name: string, kind: ProbeKind, containerId: string): Entry | undefined {
    const entry = this.pods.get(uid)?.get(entryKey(name, kind));
    return entry?.containerId === containerId ? entry : undefined;
  }

  private started(uid: string, name: string, containerId: string): boolean {
    const startup = this.pods.get(uid)?.get(entryKey(name, 'startup'));
    if (!startup) return true;
    return startup.containerId === containerId && startup.worker.state.result === 'success';
  }
}
