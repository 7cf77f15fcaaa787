// Kubernetes' horizontal pod autoscaler controller (autoscaling/v2, Resource metrics): every sync
// period each HPA's target is read (spec.replicas and its selector, as its scale subresource gives
// them), the pods' usage is compared with each metric's target (replica-calculator.ts), the
// largest proposal goes through the behavior (behavior.ts), and the scale subresource, the HPA's
// status and a SuccessfulRescale event are written. Metric figures come from the API server's
// collector, the same ones metrics.k8s.io serves.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { labelSelectorAsSelector } from '../../../api/label-selector.js';
import { Quantity } from '../../../api/quantity.js';
import { findByKind, type ResourceType } from '../../../api/resources.js';
import { rfc3339 } from '../../../api/timestamps.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { isPodReady } from '../replicaset/active-pods.js';
import { normalizeReplicas, recordScale, type Behavior, type History } from './behavior.js';
import { ReplicaCalculationError, resourceReplicas, type PodSample, type ResourceTarget } from './replica-calculator.js';

const HPAS = findByKind('HorizontalPodAutoscaler')!;

/** One pod's usage per container: CPU in nanocores, memory in bytes; undefined without figures. */
export type PodUsageSource = (pod: KubeObject) => { containers: { name: string; cpuNanocores: number; memoryBytes: number }[] } | undefined;

export interface HpaOptions {
  /** --horizontal-pod-autoscaler-sync-period (default 15 s). */
  syncPeriodMs: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (default 300 s): the scale-down window of HPAs naming none. */
  downscaleStabilizationSeconds: number;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

interface MetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string } };
}

const RESOURCES = new Set(['cpu', 'memory']);

export class HorizontalPodAutoscalerController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly histories = new Map<string, History>();

  constructor(
    private readonly client: ApiClient,
    private readonly hpas: Informer,
    private readonly pods: Informer,
    private readonly usage: PodUsageSource,
    private readonly opts: HpaOptions,
    log: (msg: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.recorder = new EventRecorder(client, { component: 'horizontal-pod-autoscaler' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`horizontalpodautoscaler ${key}: ${(err as Error).message}`), { name: 'horizontalpodautoscaler' });
    hpas.addHandlers({
      add: (h) => this.queue.add(objectKey(h)),
      update: (old, h) => {
        if (JSON.stringify(old.spec) !== JSON.stringify(h.spec)) this.queue.add(objectKey(h));
      },
      delete: (h) => this.histories.delete(objectKey(h)),
    });
  }

  async sync(key: string): Promise<void> {
    // Before the pods are cached every HPA would see no pods.
    await this.pods.hasSynced();
    const hpa = this.hpas.get(key);
    if (!hpa) return;
    try {
      await this.reconcile(key, hpa);
    } finally {
      // Metrics change without any object changing: each HPA is looked at again every period, as Kubernetes does.
      if (this.hpas.get(key)) this.queue.addAfter(key, this.opts.syncPeriodMs);
    }
  }

  private async reconcile(key: string, hpa: KubeObject): Promise<void> {
    const spec = hpa.spec as { scaleTargetRef: { apiVersion?: string; kind: string; name: string }; minReplicas?: number; maxReplicas: number; metrics?: MetricSpec[]; behavior?: Behavior };
    const status = (hpa.status ?? {}) as Record<string, unknown>;
    const namespace = hpa.metadata.namespace!;
    const ref = spec.scaleTargetRef;
    const conditions: Condition[] = [];
    const writeStatus = async (fields: Record<string, unknown>) => {
      const next = { ...status, ...fields, conditions: mergeConditions(status.conditions as Condition[] | undefined, conditions, rfc3339(new Date(this.now()))) };
      if (JSON.stringify(next) === JSON.stringify(hpa.status ?? {})) return;
      await this.client.update(HPAS, namespace, { ...hpa, status: next }, { subresource: 'status' });
    };
    const hpaRef = referenceTo(hpa);
    const target = targetResource(ref);
    let scaled: KubeObject | undefined;
    try {
      if (!target) throw new Error(`the server could not find the requested resource: ${ref.kind} in ${ref.apiVersion ?? ''} has no scale subresource`);
      scaled = await this.client.get(target, namespace, ref.name);
    } catch (err) {
      const message = `the HPA controller was unable to get the target's current scale: ${(err as Error).message}`;
      conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message });
      this.recorder.event(hpaRef, 'Warning', 'FailedGetScale', (err as Error).message);
      return writeStatus({});
    }
    conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
    const current = (scaled.spec?.replicas as number | undefined) ?? 1;
    const minReplicas = spec.minReplicas ?? 1;
    const maxReplicas = spec.maxReplicas;
    const selector = labelSelectorAsSelector(scaled.spec?.selector as never);
    const now = this.now();

    let desired: number;
    let reason = '';
    let currentMetrics: unknown[] = [];
    if (current === 0 && minReplicas !== 0) {
      desired = 0;
      conditions.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (current > maxReplicas) {
      desired = maxReplicas;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < minReplicas) {
      desired = minReplicas;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      const pods = this.pods.list(namespace).filter((p) => selector.matches(p.metadata.labels ?? {}));
      const proposals: { replicas: number; metric: string }[] = [];
      const failures: string[] = [];
      for (const m of spec.metrics ?? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]) {
        try {
          const r = this.metricProposal(m, current, pods);
          proposals.push({ replicas: r.replicas, metric: r.description });
          currentMetrics.push(r.status);
        } catch (err) {
          failures.push((err as Error).message);
          // As Kubernetes, a metric that failed has an empty status: the table shows <unknown>.
          currentMetrics.push({ type: m.type });
        }
      }
      if (proposals.length === 0) {
        const message = `the HPA was unable to compute the replica count: ${failures.join('; ')}`;
        conditions.push({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message });
        this.recorder.event(hpaRef, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${failures.length} invalid out of ${failures.length}), first error is: ${failures[0]}`);
        return writeStatus({ currentReplicas: current, desiredReplicas: current, currentMetrics });
      }
      const best = proposals.reduce((a, b) => (b.replicas > a.replicas ? b : a));
      conditions.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${best.metric}` });
      let history = this.histories.get(key);
      if (!history) this.histories.set(key, (history = { recommendations: [], scaleUps: [], scaleDowns: [] }));
      const normalized = normalizeReplicas({ current, desired: best.replicas, minReplicas, maxReplicas, behavior: spec.behavior, downscaleWindowSeconds: this.opts.downscaleStabilizationSeconds, now }, history);
      desired = normalized.replicas;
      if (normalized.stabilized) conditions[0] = { type: 'AbleToScale', status: 'True', reason: normalized.stabilized.reason, message: normalized.stabilized.message };
      conditions.push({ type: 'ScalingLimited', status: normalized.limit.limited ? 'True' : 'False', reason: normalized.limit.reason, message: normalized.limit.message });
      reason = desired > current ? `${best.metric} above target` : 'All metrics below target';
    }

    const fields: Record<string, unknown> = { currentReplicas: (scaled.status?.replicas as number | undefined) ?? current, desiredReplicas: desired, currentMetrics };
    if (currentMetrics.length === 0) delete fields.currentMetrics;
    if (desired !== current) {
      try {
        await this.client.patch(target!, namespace, ref.name, 'merge', { spec: { replicas: desired } }, { subresource: 'scale' });
      } catch (err) {
        conditions[0] = { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${(err as Error).message}` };
        this.recorder.event(hpaRef, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${(err as Error).message}`);
        await writeStatus(fields);
        if (err instanceof ApiError && err.reason === 'Conflict') return;
        throw err;
      }
      const history = this.histories.get(key);
      if (history) recordScale(history, current, desired, now);
      conditions[0] = { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` };
      this.recorder.event(hpaRef, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      fields.lastScaleTime = rfc3339(new Date(now));
    }
    await writeStatus(fields);
  }

  /** One metric's proposal, its status entry and the words Kubernetes uses for it. */
  private metricProposal(m: MetricSpec, current: number, pods: KubeObject[]): { replicas: number; status: unknown; description: string } {
    if (m.type !== 'Resource' || !m.resource) throw new ReplicaCalculationError(`the metric type ${m.type} is not supported (only Resource metrics are)`);
    const name = m.resource.name;
    if (!RESOURCES.has(name)) throw new ReplicaCalculationError(`the resource ${name} is not measured (cpu and memory are)`);
    const t = m.resource.target;
    let target: ResourceTarget;
    if (t.type === 'Utilization' && t.averageUtilization !== undefined) target = { type: 'Utilization', averageUtilization: t.averageUtilization };
    else if (t.type === 'AverageValue' && t.averageValue !== undefined) target = { type: 'AverageValue', averageValue: amount(name, t.averageValue) };
    else throw new ReplicaCalculationError(`invalid resource metric source: neither a utilization target nor a value target was set`);
    const samples = pods.map((p) => this.sample(p, name));
    const r = resourceReplicas(current, samples, target, name);
    const averageValue = name === 'cpu' ? Quantity.ofNanos(Math.round(r.averageValue * 1e6)).toString() : Quantity.of(Math.round(r.averageValue), 'BinarySI').toString();
    const currentValue = { averageValue, ...(r.utilization !== undefined ? { averageUtilization: r.utilization } : {}) };
    const description = target.type === 'Utilization' ? `${name} resource utilization (percentage of request)` : `${name} resource`;
    return { replicas: r.replicas, status: { type: 'Resource', resource: { name, current: currentValue } }, description };
  }

  private sample(pod: KubeObject, resource: string): PodSample {
    const phase = pod.status?.phase as string | undefined;
    const ignored = pod.metadata.deletionTimestamp !== undefined || phase === 'Failed' || phase === 'Succeeded';
    const u = this.usage(pod);
    const containers = (pod.spec?.containers ?? []) as { name: string; resources?: { requests?: Record<string, string> } }[];
    let request: number | undefined = 0;
    for (const c of containers) {
      const q = c.resources?.requests?.[resource];
      if (q === undefined) request = undefined;
      else if (request !== undefined) request += amount(resource, q);
    }
    const usage = u ? u.containers.reduce((s, c) => s + (resource === 'cpu' ? c.cpuNanocores / 1e6 : c.memoryBytes), 0) : undefined;
    return { name: pod.metadata.name!, ready: phase !== 'Pending' && isPodReady(pod), ignored, usage, request };
  }
}

/** A quantity in the unit the calculator works in: millicores for CPU, bytes otherwise. */
function amount(resource: string, q: string): number {
  const parsed = Quantity.parse(q);
  if (!parsed) throw new ReplicaCalculationError(`invalid quantity ${q} for ${resource}`);
  return resource === 'cpu' ? Number(parsed.milliValue()) : Number(parsed.value());
}

function targetResource(ref: { apiVersion?: string; kind: string }): ResourceType | undefined {
  const r = findByKind(ref.kind);
  if (!r || !r.subresources?.includes('scale')) return undefined;
  const group = ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return group === r.group ? r : undefined;
}

/** The new conditions, keeping each one's transition time while its status stays. */
function mergeConditions(old: Condition[] | undefined, next: Condition[], now: string): Condition[] {
  return next.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
  });
}
