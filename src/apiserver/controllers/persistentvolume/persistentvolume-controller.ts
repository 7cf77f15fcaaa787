// The PersistentVolume controller with the built-in local-path provisioner: binds claims to volumes
// (volume-matching.ts), keeps their phases (Pending/Bound/Lost, Available/Bound/Released), reclaims
// released volumes (Delete removes the PV, Retain keeps it), provisions local-path volumes on the
// node of a claim's first pod (WaitForFirstConsumer) and, as k3s' local-path provisioner does,
// deletes a reclaimed one's directory on its node through a helper pod first, and lifts the pvc-protection and
// pv-protection finalizers once nothing uses the object. Level-triggered: every sync reads the
// informers' view and does the next step; the step's own event brings the one after.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import type { Informer } from '../../../api/informer.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import {
  BOUND_BY_CONTROLLER_ANNOTATION,
  LOCAL_PATH_PROVISIONER,
  LOCAL_PATH_ROOT_ANNOTATION,
  PROVISIONED_BY_ANNOTATION,
  PROVISIONER_ANNOTATION,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
  SELECTED_NODE_ANNOTATION,
} from '../../../api/storage.js';
import { bestMatch, claimClass, claimRefMatches, podClaimNames, podUsesClaims } from './volume-matching.js';
import { cleanupNode, helperPodName, HELPER_NAMESPACE, newDeleteHelperPod, volumeOfHelperPod } from './local-path-cleanup.js';

const PVS = findByKind('PersistentVolume')!;
const PVCS = findByKind('PersistentVolumeClaim')!;
const PODS = findByKind('Pod')!;

export interface PersistentVolumeInformers {
  volumes: Informer;
  claims: Informer;
  pods: Informer;
  classes: Informer;
  nodes: Informer;
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
}

export class PersistentVolumeController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly inf: PersistentVolumeInformers,
    log: (msg: string) => void,
  ) {
    // One worker: two claims must not pick the same volume from one cache view.
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`persistentvolume-controller: ${key}: ${(err as Error).message}`), {
      name: 'persistentvolume',
      workers: 1,
    });
    const claim = (pvc: KubeObject) => this.queue.add(`pvc:${pvc.metadata.namespace}/${pvc.metadata.name}`);
    const volume = (pv: KubeObject) => this.queue.add(`pv:${pv.metadata.name}`);
    inf.claims.addHandlers({
      add: claim,
      update: (_o, pvc) => claim(pvc),
      delete: (pvc) => {
        claim(pvc);
        if (pvc.spec?.volumeName) this.queue.add(`pv:${pvc.spec.volumeName}`);
        // Claims that could not bind while this one held a volume.
        this.unboundClaims().forEach(claim);
      },
    });
    inf.volumes.addHandlers({
      add: (pv) => {
        volume(pv);
        this.unboundClaims().forEach(claim);
      },
      update: (_o, pv) => {
        volume(pv);
        if (pv.spec?.claimRef) this.queue.add(`pvc:${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}`);
        else this.unboundClaims().forEach(claim);
      },
      delete: (pv) => {
        if (pv.spec?.claimRef) this.queue.add(`pvc:${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}`);
      },
    });
    const podClaims = (pod: KubeObject) => {
      for (const name of podClaimNames(pod)) this.queue.add(`pvc:${pod.metadata.namespace}/${name}`);
      const cleaned = volumeOfHelperPod(pod);
      if (cleaned) this.queue.add(`pv:${cleaned}`);
    };
    inf.pods.addHandlers({ add: podClaims, update: (_o, pod) => podClaims(pod), delete: podClaims });
  }

  private unboundClaims(): KubeObject[] {
    return this.inf.claims.list().filter((pvc) => pvc.status?.phase !== 'Bound');
  }

  async sync(key: string): Promise<void> {
    if (key.startsWith('pvc:')) return this.syncClaim(key.slice(4));
    return this.syncVolume(key.slice(3));
  }

  private podsUsing(pvc: KubeObject): KubeObject[] {
    return this.inf.pods.list(pvc.metadata.namespace).filter((pod) => podClaimNames(pod).includes(pvc.metadata.name!));
  }

  private async syncClaim(key: string): Promise<void> {
    const pvc = this.inf.claims.get(key);
    if (!pvc) return;
    const pods = this.podsUsing(pvc);
    if (pvc.metadata.deletionTimestamp) {
      if (pvc.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER) && !pods.some(podUsesClaims)) {
        await this.removeFinalizer(PVCS, pvc, PVC_PROTECTION_FINALIZER);
      }
      return;
    }
    const volumes = this.inf.volumes.list();
    if (pvc.spec?.volumeName && pvc.status?.phase === 'Bound') {
      const pv = volumes.find((v) => v.metadata.name === pvc.spec.volumeName);
      if (!pv) await this.setClaimPhase(pvc, 'Lost');
      else if (!pv.spec?.claimRef) await this.bind(pv, pvc);
      return;
    }
    const pv = bestMatch(pvc, volumes);
    if (pv) {
      await this.bind(pv, pvc);
      return;
    }
    if (pvc.status?.phase !== 'Pending') await this.setClaimPhase(pvc, 'Pending');
    await this.provision(pvc, pods);
  }

  /** Makes a local-path volume for the claim on the node of its first scheduled pod. */
  private async provision(pvc: KubeObject, pods: KubeObject[]): Promise<void> {
    if (pvc.spec?.volumeName) return;
    const sc = this.inf.classes.get(claimClass(pvc));
    if (!sc || sc.provisioner !== LOCAL_PATH_PROVISIONER) return;
    const annotations = pvc.metadata.annotations ?? {};
    let node = annotations[SELECTED_NODE_ANNOTATION];
    if (!node) {
      // WaitForFirstConsumer: the claim gets the node its first pod was scheduled to. (local-path
      // has no Immediate mode: a directory needs a node.)
      node = pods.find((pod) => pod.spec?.nodeName && podUsesClaims(pod))?.spec.nodeName;
      if (!node) return;
      await this.client.patch(PVCS, pvc.metadata.namespace, pvc.metadata.name!, 'merge', {
        metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: node, [PROVISIONER_ANNOTATION]: LOCAL_PATH_PROVISIONER } },
      });
      return;
    }
    const root = this.inf.nodes.get(node)?.metadata.annotations?.[LOCAL_PATH_ROOT_ANNOTATION];
    if (!root) throw new Error(`node "${node}" does not say where its local-path volumes live (annotation ${LOCAL_PATH_ROOT_ANNOTATION}); is its agent running?`);
    const name = `pvc-${pvc.metadata.uid}`;
    const pv: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { [PROVISIONED_BY_ANNOTATION]: LOCAL_PATH_PROVISIONER } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: 'Filesystem',
        hostPath: { path: `${root}/${name}`, type: 'DirectoryOrCreate' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid },
      },
    };
    try {
      await this.client.create(PVS, undefined, pv);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }

  /** Ties volume and claim together: the PV's claimRef and phase first, then the claim's, as Kubernetes does. */
  private async bind(pv: KubeObject, pvc: KubeObject): Promise<void> {
    let volume = pv;
    if (!claimRefMatches(pv, pvc) || !pv.spec.claimRef.uid) {
      volume = structuredClone(pv);
      volume.spec.claimRef = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: pvc.metadata.namespace,
        name: pvc.metadata.name,
        uid: pvc.metadata.uid,
        resourceVersion: pvc.metadata.resourceVersion,
      };
      volume.metadata.annotations = { ...volume.metadata.annotations, [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' };
      volume = await this.client.update(PVS, undefined, volume);
    }
    if (volume.status?.phase !== 'Bound') {
      volume = await this.client.update(PVS, undefined, { ...volume, status: { ...volume.status, phase: 'Bound' } }, { subresource: 'status' });
    }
    let claim = pvc;
    if (pvc.spec?.volumeName !== pv.metadata.name) {
      claim = structuredClone(pvc);
      claim.spec.volumeName = pv.metadata.name;
      claim.metadata.annotations = { ...claim.metadata.annotations, 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
      claim = await this.client.update(PVCS, claim.metadata.namespace, claim);
    }
    if (claim.status?.phase !== 'Bound') {
      const status = { ...claim.status, phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity };
      await this.client.update(PVCS, claim.metadata.namespace, { ...claim, status }, { subresource: 'status' });
    }
  }

  private async setClaimPhase(pvc: KubeObject, phase: string): Promise<void> {
    await this.client.update(PVCS, pvc.metadata.namespace, { ...pvc, status: { ...pvc.status, phase } }, { subresource: 'status' }).catch(ignoreNotFound);
  }

  private async syncVolume(name: string): Promise<void> {
    const pv = this.inf.volumes.get(name);
    if (!pv) return;
    const ref = pv.spec?.claimRef;
    const claim = ref ? this.inf.claims.get(`${ref.namespace}/${ref.name}`) : undefined;
    const claimGone = ref?.uid && (!claim || claim.metadata.uid !== ref.uid);
    if (pv.metadata.deletionTimestamp) {
      if (pv.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER) && (!claim || claimGone)) await this.removeFinalizer(PVS, pv, PV_PROTECTION_FINALIZER);
      return;
    }
    if (!ref) {
      if (pv.status?.phase !== 'Available') await this.setVolumePhase(pv, 'Available');
      return;
    }
    if (!claimGone) return;
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') {
      await this.setVolumePhase(pv, 'Released');
      return;
    }
    if (pv.status?.phase === 'Released' && (pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain') === 'Delete') {
      if (!(await this.directoryDeleted(pv))) return;
      await this.client.delete(PVS, undefined, name).catch(ignoreNotFound);
    }
  }

  /**
   * Whether nothing of a released local-path volume is left on its node: its helper pod (run on
   * that node, removing the directory) has succeeded. Creates the helper on the first call; a
   * failed helper marks the volume Failed, with the helper kept for its logs.
   */
  private async directoryDeleted(pv: KubeObject): Promise<boolean> {
    const node = cleanupNode(pv);
    if (!node || !this.inf.nodes.get(node)) return true;
    const helper = this.inf.pods.get(`${HELPER_NAMESPACE}/${helperPodName(pv)}`);
    if (!helper) {
      await this.client.create(PODS, HELPER_NAMESPACE, newDeleteHelperPod(pv, node)).catch((err) => {
        if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
      });
      return false;
    }
    if (helper.status?.phase === 'Failed') {
      const message = `failed to delete volume ${pv.metadata.name}: helper pod ${HELPER_NAMESPACE}/${helper.metadata.name} failed on node ${node}`;
      await this.client.update(PVS, undefined, { ...pv, status: { ...pv.status, phase: 'Failed', message } }, { subresource: 'status' }).catch(ignoreNotFound);
      return false;
    }
    if (helper.status?.phase !== 'Succeeded') return false;
    await this.client.delete(PODS, HELPER_NAMESPACE, helper.metadata.name!).catch(ignoreNotFound);
    return true;
  }

  private async setVolumePhase(pv: KubeObject, phase: string): Promise<void> {
    await this.client.update(PVS, undefined, { ...pv, status: { ...pv.status, phase } }, { subresource: 'status' }).catch(ignoreNotFound);
  }

  private async removeFinalizer(r: typeof PVS, obj: KubeObject, finalizer: string): Promise<void> {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f: string) => f !== finalizer);
    await this.client
      .update(r, obj.metadata.namespace, { ...obj, metadata: { ...obj.metadata, finalizers } })
      .catch(ignoreNotFound);
  }
}
