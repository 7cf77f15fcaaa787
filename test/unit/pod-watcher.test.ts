// The node agent's pod watcher on the shared informer: only this node's pods, by uid; a list
// reported; a pod deleted and created again under its name while the watch was down is a new pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { PodWatcher } from '../../src/nodeagent/pods/pod-watcher.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));

test('the pod watcher follows its node\'s pods by uid, through re-lists', async () => {
  const { store, registry, client, done } = inProcessRegistry();
  const seen: string[] = [];
  const watcher = new PodWatcher(
    client,
    'n1',
    { onPod: (p) => seen.push(`pod ${p.metadata!.name}`), onGone: (uid) => seen.push(`gone ${uid}`), onListed: () => seen.push('listed') },
    () => {},
  );
  try {
    const first = registry.create(PODS, 'default', pod('a', { spec: { nodeName: 'n1' } }));
    registry.create(PODS, 'default', pod('elsewhere', { spec: { nodeName: 'n2' } }));
    watcher.start();
    await tick();
    assert.deepEqual(seen, ['pod a', 'listed']);
    assert.ok(watcher.has(first.metadata.uid!));

    // While the watch is down, a is deleted and created again; the revision in between is compacted.
    store.broadcaster.closeAll('restart');
    registry.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    const second = registry.create(PODS, 'default', pod('a', { spec: { nodeName: 'n1' } }));
    store.compact(store.currentRevision);
    await tick();
    assert.deepEqual(seen.slice(2), [`gone ${first.metadata.uid}`, 'pod a', 'listed']);
    assert.ok(!watcher.has(first.metadata.uid!));
    assert.ok(watcher.has(second.metadata.uid!));

    registry.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    await tick();
    assert.deepEqual(seen.slice(5), [`gone ${second.metadata.uid}`]);
  } finally {
    await watcher.stop();
    done();
  }
});
