import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchBroadcaster, type StoreEvent } from '../../src/apiserver/storage/watch-broadcaster.js';

const event = (key: string, rev: number): StoreEvent => ({ type: 'ADDED', key, rev, value: '{}' });

test('each watcher gets the writes under its prefix, in order; watchers of one prefix all get them', () => {
  const b = new WatchBroadcaster();
  const seen: string[] = [];
  const watch = (name: string, prefix: string) => b.subscribe(prefix, (e) => seen.push(`${name} ${e.rev}`), () => {});
  watch('pods-a', '/core/pods/');
  watch('pods-b', '/core/pods/');
  watch('ns-default', '/core/pods/default/');
  watch('leases', '/coordination.k8s.io/leases/');
  b.publish(event('/core/pods/default/p', 1));
  b.publish(event('/coordination.k8s.io/leases/kube-node-lease/n1', 2));
  b.publish(event('/core/pods/other/q', 3));
  assert.deepEqual(seen.sort(), ['leases 2', 'ns-default 1', 'pods-a 1', 'pods-a 3', 'pods-b 1', 'pods-b 3'].sort());
  assert.equal(b.size, 4);
});

test('a closed watcher gets nothing more and is told why once; the others of its prefix go on', () => {
  const b = new WatchBroadcaster();
  const seen: string[] = [];
  const closed: string[] = [];
  const a = b.subscribe('/k/', (e) => seen.push(`a ${e.rev}`), (why) => closed.push(`a ${why}`));
  b.subscribe('/k/', (e) => seen.push(`b ${e.rev}`), (why) => closed.push(`b ${why}`));
  a.close('done');
  a.close('again');
  b.publish(event('/k/x', 1));
  assert.deepEqual(seen, ['b 1']);
  assert.deepEqual(closed, ['a done']);
  assert.equal(b.size, 1);
  b.closeAll('store closed');
  assert.deepEqual(closed, ['a done', 'b store closed']);
  assert.equal(b.size, 0);
});

test('a watcher that throws is closed; the writer and the other watchers are not disturbed', () => {
  const b = new WatchBroadcaster();
  const seen: number[] = [];
  const closed: string[] = [];
  b.subscribe('/k/', () => {
    throw new Error('boom');
  }, (why) => closed.push(why));
  b.subscribe('/k/', (e) => seen.push(e.rev), () => {});
  b.publish(event('/k/x', 1));
  b.publish(event('/k/y', 2));
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(closed, ['watcher failed: boom']);
  assert.equal(b.size, 1);
});
