// core/v1 Events as client-go's recorder writes them, for the node agents (component kubelet) and
// the controllers: the same event again (same object, type, reason and message) raises the count
// and lastTimestamp of the first instead of adding another, as client-go's EventCorrelator does.
// Recording never fails the caller: an event is information, and a lost one is only logged.
import type { ApiClient } from './client.js';
import { ApiError } from './errors.js';
import { findByKind } from './resources.js';
import { rfc3339 } from './timestamps.js';
import type { KubeObject } from './types.js';

const EVENTS = findByKind('Event')!;
/** How many distinct events are remembered for aggregation (client-go keeps 4096). */
const CACHE_SIZE = 4096;

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** `kubelet`, `deployment-controller`, … */
  component: string;
  /** The node, for a node agent's events. */
  host?: string;
}

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  /** The part of the object the event is about, e.g. `spec.containers{app}`. */
  fieldPath?: string;
}

interface Recorded {
  name: string;
  namespace: string;
  count: number;
}

/** The reference to an object, optionally to one of its parts. */
export function referenceTo(obj: KubeObject, fieldPath?: string): ObjectReference {
  return {
    apiVersion: obj.apiVersion ?? 'v1',
    kind: obj.kind ?? '',
    ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata?.name ?? '',
    ...(obj.metadata?.uid ? { uid: obj.metadata.uid } : {}),
    ...(obj.metadata?.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    ...(fieldPath ? { fieldPath } : {}),
  };
}

export class EventRecorder {
  // Insertion-ordered, so the oldest entry is the first to go when the cache is full.
  private readonly recorded = new Map<string, Recorded>();
  // Writes of one event key stay in order (a count raise must not overtake the creation).
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly client: ApiClient,
    private readonly source: EventSource,
    private readonly log: (msg: string) => void,
  ) {}

  /** Records an event about `ref` in the background. */
  event(ref: ObjectReference, type: EventType, reason: string, message: string): void {
    const key = JSON.stringify([ref.namespace, ref.kind, ref.name, ref.uid, ref.fieldPath, type, reason, message]);
    const before = this.pending.get(key) ?? Promise.resolve();
    const next = before
      .then(() => this.write(key, ref, type, reason, message))
      .catch((err) => this.log(`cannot record event ${reason} for ${ref.kind.toLowerCase()} ${ref.namespace ?? ''}/${ref.name}: ${(err as Error).message}`))
      .finally(() => {
        if (this.pending.get(key) === next) this.pending.delete(key);
      });
    this.pending.set(key, next);
  }

  /** Resolves when every event recorded so far is written (or given up). */
  async flush(): Promise<void> {
    await Promise.all(this.pending.values());
  }

  private async write(key: string, ref: ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const now = rfc3339(new Date());
    const seen = this.recorded.get(key);
    if (seen) {
      try {
        await this.client.patch(EVENTS, seen.namespace, seen.name, 'merge', { count: seen.count + 1, lastTimestamp: now });
        seen.count++;
        this.remember(key, seen);
        return;
      } catch (err) {
        // The event expired or was deleted: start a new series.
        if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
      }
    }
    const namespace = ref.namespace ?? 'default';
    // client-go's name: the object's name and the time in nanoseconds, in hex; random bits stand in
    // for the nanoseconds JavaScript's clock does not have (not secret: Math.random, a tenth of randomBytes' cost).
    const name = `${ref.name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 65536))).toString(16)}`;
    await this.client.create(EVENTS, namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ref,
      reason,
      message,
      type,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    } as KubeObject);
    this.remember(key, { name, namespace, count: 1 });
  }

  private remember(key: string, r: Recorded): void {
    this.recorded.delete(key);
    this.recorded.set(key, r);
    if (this.recorded.size > CACHE_SIZE) this.recorded.delete(this.recorded.keys().next().value!);
  }
}
