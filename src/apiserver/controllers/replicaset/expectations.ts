// Kubernetes' UIDTrackingControllerExpectations: what a controller is still waiting to see in its
// pod informer after creating or deleting pods. Until the informer has shown all of it (or five
// minutes passed, should an event never come), the controller does not create or delete again, so
// a lagging cache never makes duplicate pods or deletes one twice.
const TTL_MS = 5 * 60_000;

interface Expectation {
  /** Creations not yet seen. */
  adds: number;
  /** Keys (`namespace/name`) of pods whose deletion is not yet seen. */
  deletes: Set<string>;
  at: number;
}

export class Expectations {
  private readonly byOwner = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when nothing is pending (or what was pending is too old to keep waiting for). */
  satisfied(owner: string): boolean {
    const e = this.byOwner.get(owner);
    if (!e) return true;
    return (e.adds <= 0 && e.deletes.size === 0) || this.now() - e.at > TTL_MS;
  }

  /** Creations and deletions made in one sync (a DaemonSet does both at once). */
  expect(owner: string, creations: number, deletedPodKeys: readonly string[]): void {
    this.byOwner.set(owner, { adds: creations, deletes: new Set(deletedPodKeys), at: this.now() });
  }

  expectCreations(owner: string, count: number): void {
    this.expect(owner, count, []);
  }

  expectDeletions(owner: string, podKeys: readonly string[]): void {
    this.expect(owner, 0, podKeys);
  }

  creationObserved(owner: string): void {
    const e = this.byOwner.get(owner);
    if (e) e.adds--;
  }

  deletionObserved(owner: string, podKey: string): void {
    this.byOwner.get(owner)?.deletes.delete(podKey);
  }

  forget(owner: string): void {
    this.byOwner.delete(owner);
  }
}
