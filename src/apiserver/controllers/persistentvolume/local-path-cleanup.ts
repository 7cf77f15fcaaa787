// Pure: the helper pod that deletes a reclaimed local-path volume's directory on the node holding
// it, as k3s' local-path provisioner does (`helper-pod-delete-<pv>` in kube-system, bound to the
// node, owned by the volume so the garbage collector takes it if the volume goes first, the volume's parent directory mounted, `rm -rf` of the volume's own directory). The API
// server cannot reach a node's disk; the node's agent runs the pod like any other.
import { posix } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { LOCAL_PATH_PROVISIONER, PROVISIONED_BY_ANNOTATION } from '../../../api/storage.js';

export const HELPER_NAMESPACE = 'kube-system';
const HELPER_PREFIX = 'helper-pod-delete-';
/** The image kctl prepares on every engine (`kctl images prepare`). */
const HELPER_IMAGE = 'busybox:1.35';

export function helperPodName(pv: KubeObject): string {
  return `${HELPER_PREFIX}${pv.metadata.name}`;
}

/** The volume a helper pod cleans up, from its name. */
export function volumeOfHelperPod(pod: KubeObject): string | undefined {
  const name = pod.metadata.name ?? '';
  return pod.metadata.namespace === HELPER_NAMESPACE && name.startsWith(HELPER_PREFIX) ? name.slice(HELPER_PREFIX.length) : undefined;
}

/** The node whose directory must go: set for a volume local-path made (its directory named after it), else undefined. */
export function cleanupNode(pv: KubeObject): string | undefined {
  if (pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] !== LOCAL_PATH_PROVISIONER) return undefined;
  const path: string | undefined = pv.spec?.hostPath?.path;
  // Never anything but the volume's own directory.
  if (!path || posix.basename(path) !== pv.metadata.name) return undefined;
  for (const term of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) {
      if (e.key === 'kubernetes.io/hostname' && e.operator === 'In' && e.values?.length === 1) return e.values[0];
    }
  }
  return undefined;
}

export function newDeleteHelperPod(pv: KubeObject, node: string): KubeObject {
  const path: string = pv.spec.hostPath.path;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: helperPodName(pv), namespace: HELPER_NAMESPACE, ownerReferences: [{ apiVersion: 'v1', kind: 'PersistentVolume', name: pv.metadata.name!, uid: pv.metadata.uid! }] },
    spec: {
      nodeName: node,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'data', hostPath: { path: posix.dirname(path), type: 'Directory' } }],
      containers: [
        {
          name: 'helper-pod',
          image: HELPER_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['rm', '-rf', `/data/${posix.basename(path)}`],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
    },
  };
}
