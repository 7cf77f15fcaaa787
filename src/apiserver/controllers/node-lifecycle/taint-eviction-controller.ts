// Kubernetes' taint eviction controller (the NoExecute taint manager): a pod on a node with a
// NoExecute taint it does not tolerate is deleted at once; one that tolerates it for
// tolerationSeconds is deleted when they run out, counted from when this controller first saw it
// exposed (as Kubernetes counts), and spared if the taint goes first. The pod gets its own grace
// period: on a dead node it then stays Terminating, while its owner replaces it elsewhere.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../../api/client.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import type { KubeObject } from '../../../api/types.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { disruptPod } from './disruption.js';
import type { PodsByNode } from './pods-by-node.js';
import { evictionDelaySeconds } from './taint-eviction.js';

function noExecuteTaints(node: KubeObject | undefined): string {
  return JSON.stringify((node?.spec?.taints ?? []).filter((t: { effect: string }) => t.effect === 'NoExecute'));
}

export class TaintEvictionController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  /** Pod key -> when its eviction countdown started (ms), for pods waiting out a toleration. */
  private readonly scheduled = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly client: ApiClient,
    private readonly pods: Informer,
    private readonly nodes: Informer,
    private readonly podsByNode: PodsByNode,
    log: (msg: string) => void,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
    this.recorder = new EventRecorder(client, { component: 'taint-eviction-controller' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`taint-eviction ${key}: ${(err as Error).message}`), { name: 'taint_eviction' });
    const enqueuePod = (pod: KubeObject) => {
      if (pod.spec?.nodeName) this.queue.add(objectKey(pod));
    };
    pods.addHandlers({ add: enqueuePod, update: (_old, pod) => enqueuePod(pod), delete: (pod) => this.scheduled.delete(objectKey(pod)) });
    const enqueueNodePods = (node: KubeObject) => {
      for (const key of this.podsByNode.keys(node.metadata.name!)) this.queue.add(key);
    };
    nodes.addHandlers({
      add: enqueueNodePods,
      update: (old, node) => {
        if (noExecuteTaints(old) !== noExecuteTaints(node)) enqueueNodePods(node);
      },
    });
  }

  async sync(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod?.spec?.nodeName || pod.metadata.deletionTimestamp) {
      this.scheduled.delete(key);
      return;
    }
    const node = this.nodes.get(pod.spec.nodeName);
    const delay = evictionDelaySeconds(node?.spec?.taints, (pod as unknown as Pod).spec?.tolerations);
    if (delay === undefined) {
      if (this.scheduled.delete(key)) this.recorder.event(referenceTo(pod), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      return;
    }
    const now = this.now();
    const started = this.scheduled.get(key) ?? now;
    this.scheduled.set(key, started);
    const at = started + delay * 1000;
    if (now < at) {
      this.queue.addAfter(key, at - now);
      return;
    }
    this.recorder.event(referenceTo(pod), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    await disruptPod(this.client, pod, { reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    this.scheduled.delete(key);
  }
}
