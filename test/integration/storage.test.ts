// Storage on a real node agent (`kctl cluster up --nodes 2`, real Docker): the default local-path
// class, a claim provisioned on the node its first pod lands on (WaitForFirstConsumer), data that
// outlives the pod and is read by the next pod of the claim (which the scheduler puts on the
// volume's node), and reclaim Delete removing the volume with its claim and its directory on the
// node (a helper pod, as k3s'); a ReadWriteOnce claim in use on one node keeps a pod on the other
// pending, a ReadWriteOncePod claim any second pod; kctl describe pv/pvc/sc as kubectl prints them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';
import { pod } from '../helpers/builders.js';

const NS = '/api/v1/namespaces/default';

function claimPod(name: string, command: string, claimName = 'data', nodeSelector?: Record<string, string>): object {
  return pod(name, {
    spec: { terminationGracePeriodSeconds: 1, ...(nodeSelector ? { nodeSelector } : {}), volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
    container: { name: 'main', command: ['sh', '-c', command], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
  });
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
    await until('the volume to be deleted (reclaim Delete)', async () => ((await c.api('GET', `/api/v1/persistentvolumes/${pv.metadata.name}`)).status === 404 ? true : undefined), 60_000);
    assert.equal(existsSync(dir), false, 'the helper pod removed the directory on the node');
    assert.equal((await c.api('GET', `/api/v1/namespaces/kube-system/pods/helper-pod-delete-${pv.metadata.name}`)).status, 404, 'the helper pod is gone');
  });

  test('a ReadWriteOnce claim used on one node keeps a pod on the other pending until it is free; ReadWriteOncePod any second pod', async () => {
    const nodes: string[] = (await c.api('GET', '/api/v1/nodes')).body.items.map((n: any) => n.metadata.name).sort();
    const on = (node: string) => ({ 'kubernetes.io/hostname': node });
    for (const [name, mode] of [['shared', 'ReadWriteOnce'], ['solo', 'ReadWriteOncePod']]) {
      mkdirSync(join(c.home, name), { recursive: true });
      await c.create('/api/v1/persistentvolumes', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: `pv-${name}` },
        spec: { capacity: { storage: '1Gi' }, accessModes: [mode], storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: join(c.home, name) } },
      });
      await c.create(`${NS}/persistentvolumeclaims`, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name },
        spec: { accessModes: [mode], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } } },
      });
    }
    await c.createPod(claimPod('first', 'sleep 3600', 'shared', on(nodes[0])));
    await c.waitForPod('first', (p) => p.status?.phase === 'Running', 60_000);
    await c.createPod(claimPod('second', 'sleep 3600', 'shared', on(nodes[1])));
    const pending = await c.waitForPod('second', (p) => p.status?.conditions?.some((x: any) => x.type === 'PodScheduled' && x.status === 'False'), 30_000);
    assert.equal(pending.status.phase, 'Pending');
    assert.match(pending.status.conditions.find((x: any) => x.type === 'PodScheduled').message, /0\/2 nodes are available: 1 node\(s\) cannot mount a ReadWriteOnce PersistentVolumeClaim in use by a pod on another node, 1 node\(s\) didn't match Pod's node affinity\/selector/);
    const events = await c.kctl(['get', 'events', '--field-selector', 'involvedObject.name=second,reason=FailedScheduling']);
    assert.match(events.stdout, /cannot mount a ReadWriteOnce PersistentVolumeClaim in use by a pod on another node/);
    const describedClaim = await c.kctl(['describe', 'pvc', 'shared']);
    assert.match(describedClaim.stdout, /\nUsed By:\s+first\n\s+second\n/);
    // Freed on the first node, the claim may follow the second pod.
    assert.equal((await c.api('DELETE', `${NS}/pods/first`)).status, 200);
    const moved = await c.waitForPod('second', (p) => p.status?.phase === 'Running', 60_000);
    assert.equal(moved.spec.nodeName, nodes[1]);

    await c.createPod(claimPod('only', 'sleep 3600', 'solo'));
    await c.waitForPod('only', (p) => p.status?.phase === 'Running', 60_000);
    await c.createPod(claimPod('another', 'sleep 3600', 'solo'));
    const refused = await c.waitForPod('another', (p) => p.status?.conditions?.some((x: any) => x.type === 'PodScheduled' && x.status === 'False'), 30_000);
    assert.equal(refused.status.conditions.find((x: any) => x.type === 'PodScheduled').message, '0/2 nodes are available: 2 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');

    // kctl's describe of a volume, a claim and the class is the real kubectl's, line for line.
    for (const args of [['pv', 'pv-shared'], ['pvc', 'solo'], ['storageclass', 'local-path']]) {
      const [ours, theirs] = await Promise.all([c.kctl(['describe', ...args, '--show-events=false']), c.kubectl(['describe', ...args, '--show-events=false'])]);
      assert.equal(ours.code, 0, ours.stderr);
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.equal(ours.stdout, theirs.stdout, `describe ${args.join(' ')}`);
    }
    for (const pod of ['second', 'only', 'another']) await c.api('DELETE', `${NS}/pods/${pod}`);
  });
});
