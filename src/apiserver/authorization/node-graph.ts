// What each node may read, from the pods bound to it (Kubernetes' node authorizer graph, fed by a
// pod informer): a pod on node N links N to the pod itself, its service account, and the
// Secrets, ConfigMaps and PersistentVolumeClaims its volumes, env and image pull secrets name,
// and (through a claim cache) the PersistentVolumes those claims are bound to.
// Counted per reference, so two pods naming one Secret keep it readable until both are gone.
import type { KubeObject } from '../../api/types.js';
import type { ObjectCache } from './rbac-authorizer.js';

export type GraphKind = 'pods' | 'secrets' | 'configmaps' | 'persistentvolumeclaims' | 'serviceaccounts';

/** The objects a pod names, as `kind/namespace/name` (Kubernetes' VisitPodSecretNames and VisitPodConfigmapNames). */
export function podReferences(pod: KubeObject): string[] {
  const ns = pod.metadata.namespace;
  const spec = pod.spec ?? {};
  const refs = new Set<string>([`pods/${ns}/${pod.metadata.name}`, `serviceaccounts/${ns}/${spec.serviceAccountName || 'default'}`]);
  const add = (kind: GraphKind, name: unknown) => {
    if (typeof name === 'string' && name) refs.add(`${kind}/${ns}/${name}`);
  };
  for (const s of spec.imagePullSecrets ?? []) add('secrets', s?.name);
  for (const v of spec.volumes ?? []) {
    add('secrets', v?.secret?.secretName);
    add('configmaps', v?.configMap?.name);
    add('persistentvolumeclaims', v?.persistentVolumeClaim?.claimName);
    for (const source of v?.projected?.sources ?? []) {
      add('secrets', source?.secret?.name);
      add('configmaps', source?.configMap?.name);
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c?.env ?? []) {
      add('secrets', e?.valueFrom?.secretKeyRef?.name);
      add('configmaps', e?.valueFrom?.configMapKeyRef?.name);
    }
    for (const from of c?.envFrom ?? []) {
      add('secrets', from?.secretRef?.name);
      add('configmaps', from?.configMapRef?.name);
    }
  }
  return [...refs];
}

export class NodeGraph {
  /** node name → `kind/namespace/name` → how many of its pods name it. */
  private readonly edges = new Map<string, Map<string, number>>();
  /** What each pod (by `namespace/name`) added, so an update or delete takes back exactly that. */
  private readonly added = new Map<string, { node: string; refs: string[] }>();

  private filled = false;

  /** Fed by a pod informer; synced resolves once its first list is in, from when the graph is whole. */
  constructor(
    pods: ObjectCache,
    synced: Promise<void>,
    /** The claims, for the volume edges (claim -> its spec.volumeName); absent, no volume is related. */
    private readonly claims?: ObjectCache,
  ) {
    pods.addHandlers({ add: (p) => this.setPod(p), update: (_, p) => this.setPod(p), delete: (p) => this.removePod(p) });
    void synced.then(() => (this.filled = true));
  }

  /** Whether the graph holds every pod: before, a missing edge may only mean a pod not read yet. */
  get synced(): boolean {
    return this.filled;
  }

  has(node: string, kind: GraphKind, namespace: string, name: string): boolean {
    return (this.edges.get(node)?.get(`${kind}/${namespace}/${name}`) ?? 0) > 0;
  }

  /** Whether one of the node's pods uses a claim bound to the PersistentVolume `name`. */
  hasVolume(node: string, name: string): boolean {
    if (!this.claims) return false;
    const prefix = 'persistentvolumeclaims/';
    for (const [ref, n] of this.edges.get(node) ?? []) {
      if (n > 0 && ref.startsWith(prefix) && this.claims.get(ref.slice(prefix.length))?.spec?.volumeName === name) return true;
    }
    return false;
  }

  private setPod(pod: KubeObject): void {
    this.removePod(pod);
    const node = pod.spec?.nodeName;
    if (!node) return;
    const refs = podReferences(pod);
    const counts = this.edges.get(node) ?? new Map<string, number>();
    for (const ref of refs) counts.set(ref, (counts.get(ref) ?? 0) + 1);
    this.edges.set(node, counts);
    this.added.set(`${pod.metadata.namespace}/${pod.metadata.name}`, { node, refs });
  }

  private removePod(pod: KubeObject): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const was = this.added.get(key);
    if (!was) return;
    this.added.delete(key);
    const counts = this.edges.get(was.node)!;
    for (const ref of was.refs) {
      const n = (counts.get(ref) ?? 0) - 1;
      if (n > 0) counts.set(ref, n);
      else counts.delete(ref);
    }
    if (counts.size === 0) this.edges.delete(was.node);
  }
}
