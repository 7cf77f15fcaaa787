// Which pods are bound to each node, kept from the pod informer's events, so a node's change
// reaches its pods without scanning every pod in the cluster.
import type { KubeObject } from '../../../api/types.js';
import { objectKey, type Informer } from '../../../api/informer.js';

export class PodsByNode {
  private readonly byNode = new Map<string, Set<string>>();

  constructor(pods: Informer) {
    pods.addHandlers({
      add: (pod) => this.put(pod),
      update: (old, pod) => {
        if (old.spec?.nodeName !== pod.spec?.nodeName) this.remove(old);
        this.put(pod);
      },
      delete: (pod) => this.remove(pod),
    });
  }

  /** Keys (`namespace/name`) of the pods bound to the node. */
  keys(node: string): string[] {
    return [...(this.byNode.get(node) ?? [])];
  }

  private put(pod: KubeObject): void {
    const node = pod.spec?.nodeName;
    if (!node) return;
    let keys = this.byNode.get(node);
    if (!keys) this.byNode.set(node, (keys = new Set()));
    keys.add(objectKey(pod));
  }

  private remove(pod: KubeObject): void {
    const node = pod.spec?.nodeName;
    const keys = node ? this.byNode.get(node) : undefined;
    if (!keys) return;
    keys.delete(objectKey(pod));
    if (keys.size === 0) this.byNode.delete(node!);
  }
}
