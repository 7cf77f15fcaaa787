// What a Job's controller did that its pod informer may not show yet ("expectations"): pods it
// created and pods it deleted. A sync sees them as they will be, so a lagging cache never makes a
// second pod for the same slot or deletes one twice. Entries go once the informer catches up, or
// after a minute, should an event never come.
import type { Pod } from 'kubernetes-types/core/v1.js';

const EXPIRY_MS = 60_000;

interface Pending {
  created: Map<string, { pod: Pod; at: number }>;
  deleted: Map<string, number>;
}

export class PendingPods {
  private readonly byJob = new Map<string, Pending>();

  created(jobKey: string, pod: Pod): void {
    this.entry(jobKey).created.set(pod.metadata!.uid!, { pod, at: Date.now() });
  }

  deleted(jobKey: string, pod: Pod): void {
    this.entry(jobKey).deleted.set(pod.metadata!.uid!, Date.now());
  }

  forget(jobKey: string): void {
    this.byJob.delete(jobKey);
  }

  /** The observed pods with what is pending applied: created ones added, deleted ones marked as being deleted. */
  apply(jobKey: string, observed: Pod[]): Pod[] {
    const p = this.byJob.get(jobKey);
    if (!p) return observed;
    const now = Date.now();
    const seen = new Set(observed.map((pod) => pod.metadata!.uid!));
    for (const [uid, { at }] of p.created) if (seen.has(uid) || now - at > EXPIRY_MS) p.created.delete(uid);
    const result = observed.map((pod) => {
      const uid = pod.metadata!.uid!;
      const at = p.deleted.get(uid);
      if (at === undefined) return pod;
      if (pod.metadata!.deletionTimestamp || now - at > EXPIRY_MS) {
        p.deleted.delete(uid);
        return pod;
      }
      return { ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date(at).toISOString() } };
    });
    for (const uid of p.deleted.keys()) if (!seen.has(uid)) p.deleted.delete(uid);
    if (!p.created.size && !p.deleted.size) this.byJob.delete(jobKey);
    return [...result, ...[...p.created.values()].map((c) => c.pod)];
  }

  private entry(jobKey: string): Pending {
    let p = this.byJob.get(jobKey);
    if (!p) this.byJob.set(jobKey, (p = { created: new Map(), deleted: new Map() }));
    return p;
  }
}
