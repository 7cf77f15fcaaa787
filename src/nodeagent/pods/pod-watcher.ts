// Follows the pods bound to this node (fieldSelector spec.nodeName) through the shared informer:
// listed in pages, watched from the list's revision, listed again when the revision was compacted
// (410 Expired) or the watch failed. The pod workers hear of pods by uid.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../api/client.js';
import { Informer } from '../../api/informer.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';

const PODS = findByKind('Pod')!;

export interface PodHandlers {
  /** A pod of this node was seen, new or changed. */
  onPod(pod: Pod): void;
  /** A pod of this node no longer exists. */
  onGone(uid: string): void;
  /** A full list was read: every pod bound to this node now has been seen. */
  onListed(): void;
}

export class PodWatcher {
  private readonly informer: Informer;
  private readonly known = new Set<string>();

  constructor(client: ApiClient, node: string, handlers: PodHandlers, log: (msg: string) => void) {
    this.informer = new Informer(client, PODS, log, { fieldSelector: `spec.nodeName=${node}` });
    const seen = (pod: KubeObject) => {
      this.known.add(pod.metadata.uid!);
      handlers.onPod(pod as Pod);
    };
    const gone = (uid: string) => {
      if (this.known.delete(uid)) handlers.onGone(uid);
    };
    this.informer.addHandlers({
      add: seen,
      update: (old, pod) => {
        // A pod deleted and created again under its name while the watch was down: a new pod.
        if (old.metadata.uid !== pod.metadata.uid) gone(old.metadata.uid!);
        seen(pod);
      },
      delete: (pod) => gone(pod.metadata.uid!),
      listed: () => handlers.onListed(),
    });
  }

  start(): void {
    this.informer.start();
  }

  /** Whether the pod is bound to this node, as far as the watch has told. */
  has(uid: string): boolean {
    return this.known.has(uid);
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }
}
