// Watches the pods bound to this node (fieldSelector spec.nodeName), listing first and listing
// again whenever the watch's revision was compacted (410 Expired) or the watch failed.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient, WatchHandle } from '../../api/client.js';
import { findByKind } from '../../api/resources.js';
import type { Status, WatchEvent } from '../../api/types.js';

const PODS = findByKind('Pod')!;
const RETRY_MS = 1000;

export interface PodHandlers {
  /** A pod of this node was seen, new or changed. */
  onPod(pod: Pod): void;
  /** A pod of this node no longer exists. */
  onGone(uid: string): void;
  /** A full list was read: every pod bound to this node now has been seen. */
  onListed(): void;
}

export class PodWatcher {
  private stopped = false;
  private handle: WatchHandle | undefined;
  private readonly known = new Set<string>();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly node: string,
    private readonly handlers: PodHandlers,
    private readonly log: (msg: string) => void,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Whether the pod is bound to this node, as far as the watch has told. */
  has(uid: string): boolean {
    return this.known.has(uid);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.handle?.stop();
    await this.loop;
  }

  private get fieldSelector(): string {
    return `spec.nodeName=${this.node}`;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        let resourceVersion = await this.relist();
        // Watch from the last revision seen until the server says it is too old.
        while (!this.stopped) {
          const outcome = await this.watchFrom(resourceVersion);
          if (outcome.expired || outcome.failed) break;
          resourceVersion = outcome.resourceVersion;
        }
      } catch (err) {
        this.log(`cannot list the pods of node ${this.node}: ${(err as Error).message}`);
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }

  private async relist(): Promise<string> {
    const list = await this.client.list(PODS, undefined, { fieldSelector: this.fieldSelector });
    const present = new Set<string>();
    for (const pod of list.items as Pod[]) {
      const uid = pod.metadata!.uid!;
      present.add(uid);
      this.seen(pod);
    }
    for (const uid of [...this.known]) if (!present.has(uid)) this.gone(uid);
    this.handlers.onListed();
    return list.metadata?.resourceVersion ?? '';
  }

  private async watchFrom(resourceVersion: string): Promise<{ resourceVersion: string; expired: boolean; failed: boolean }> {
    let expired = false;
    let failed = false;
    let latest = resourceVersion;
    this.handle = this.client.watch(PODS, undefined, { fieldSelector: this.fieldSelector, resourceVersion, bookmarks: true }, (e: WatchEvent) => {
      if (e.type === 'ERROR') {
        const status = e.object as unknown as Status;
        if (status.code === 410) expired = true;
        else {
          failed = true;
          this.log(`the pod watch failed: ${status.message}`);
        }
        this.handle?.stop();
        return;
      }
      latest = e.object.metadata?.resourceVersion ?? latest;
      if (e.type === 'BOOKMARK') return;
      const pod = e.object as Pod;
      if (e.type === 'DELETED') this.gone(pod.metadata!.uid!);
      else this.seen(pod);
    });
    await this.handle.done;
    return { resourceVersion: latest, expired, failed };
  }

  private seen(pod: Pod): void {
    this.known.add(pod.metadata!.uid!);
    this.handlers.onPod(pod);
  }

  private gone(uid: string): void {
    if (!this.known.delete(uid)) return;
    this.handlers.onGone(uid);
  }
}
