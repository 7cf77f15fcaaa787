// Storage on a real node agent (`kctl cluster up --nodes 2`, real Docker): the default local-path
// class, a claim provisioned on the node its first pod lands on (WaitForFirstConsumer), data that
// outlives the pod and is read by the next pod of the claim (which the scheduler puts on the
// volume's node), and reclaim Delete removing the volume with its claim.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { useNodeCluster } from '../helpers/node-cluster.js';

const NS = '/api/v1/namespaces/default';

async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function claimPod(name: string, command: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      containers: [{ name: 'main', image: 'busybox:1.35', command: ['sh', '-c', command], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    },
  };
}

describe('persistent volumes on node agents', () => {
  const { c } = useNodeCluster(['--nodes', '2']);

  test('the default class is local-path, as k3s ships it', async () => {
    const sc = await c.api('GET', '/apis/storage.k8s.io/v1/storageclasses/local-path');
    assert.equal(sc.status, 200, sc.text);
    assert.equal(sc.body.provisioner, 'rancher.io/local-path');
    assert.equal(sc.body.volumeBindingMode, 'WaitForFirstConsumer');
    assert.equal(sc.body.reclaimPolicy, 'Delete');
    assert.equal(sc.body.metadata.annotations['storageclass.kubernetes.io/is-default-class'], 'true');
  });

  test("a pod's data survives it and is read by the claim's next pod; deleting the claim deletes the volume", async () => {
    const created = await c.create(`${NS}/persistentvolumeclaims`, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    assert.equal(created.spec.storageClassName, 'local-path');
    assert.deepEqual(created.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    const pending = await until('the claim to be Pending', async () => {
      const r = await c.api('GET', `${NS}/persistentvolumeclaims/data`);
      return r.body.status?.phase === 'Pending' ? r.body : undefined;
    });
    assert.equal(pending.spec.volumeName, undefined, 'WaitForFirstConsumer: no volume before a pod');

    await c.createPod(claimPod('writer', 'echo kept > /data/file && sleep 3600'));
    const writer = await c.waitForPod('writer', (p) => p.status?.phase === 'Running', 60_000);
    const claim = await until('the claim to be Bound', async () => {
      const r = await c.api('GET', `${NS}/persistentvolumeclaims/data`);
      return r.body.status?.phase === 'Bound' ? r.body : undefined;
    });
    assert.equal(claim.metadata.annotations['volume.kubernetes.io/selected-node'], writer.spec.nodeName);
    assert.equal(claim.status.capacity.storage, '1Gi');
    const pv = (await c.api('GET', `/api/v1/persistentvolumes/${claim.spec.volumeName}`)).body;
    assert.equal(pv.metadata.name, `pvc-${claim.metadata.uid}`);
    assert.equal(pv.status.phase, 'Bound');
    assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, [writer.spec.nodeName]);
    const dir: string = pv.spec.hostPath.path;
    await until('the file on the node', async () => (existsSync(`${dir}/file`) ? true : undefined));
    assert.equal(readFileSync(`${dir}/file`, 'utf8'), 'kept\n');

    // The claim is in use: deleting it waits for the pod.
    assert.equal((await c.api('DELETE', `${NS}/pods/writer`)).status, 200);
    await until('the writer to be gone', async () => ((await c.api('GET', `${NS}/pods/writer`)).status === 404 ? true : undefined), 60_000);

    await c.createPod(claimPod('reader', 'cat /data/file && sleep 3600'));
    const reader = await c.waitForPod('reader', (p) => p.status?.phase === 'Running', 60_000);
    assert.equal(reader.spec.nodeName, writer.spec.nodeName, 'the scheduler follows the volume to its node');
    const logs = await until('the reader to print the file', async () => {
      const r = await c.api('GET', `${NS}/pods/reader/log`);
      return r.text.includes('kept') ? r.text : undefined;
    });
    assert.equal(logs, 'kept\n');

    assert.equal((await c.api('DELETE', `${NS}/persistentvolumeclaims/data`)).status, 200);
    const terminating = await c.api('GET', `${NS}/persistentvolumeclaims/data`);
    assert.equal(terminating.status, 200, 'pvc-protection keeps the claim while a pod uses it');
    assert.ok(terminating.body.metadata.deletionTimestamp);
    assert.equal((await c.api('DELETE', `${NS}/pods/reader`)).status, 200);
    await until('the claim to be gone', async () => ((await c.api('GET', `${NS}/persistentvolumeclaims/data`)).status === 404 ? true : undefined), 60_000);
    await until('the volume to be deleted (reclaim Delete)', async () => ((await c.api('GET', `/api/v1/persistentvolumes/${pv.metadata.name}`)).status === 404 ? true : undefined));
  });
});
