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

const onNode = (key: string, rev: number, type: StoreEvent['type'], node: string, prevNode?: string): StoreEvent => ({
  type,
  key,
  rev,
  value: JSON.stringify({ metadata: { name: key }, spec: { nodeName: node } }),
  ...(prevNode === undefined ? {} : { prevValue: JSON.stringify({ metadata: { name: key }, spec: { nodeName: prevNode } }) }),
});
const nodeIndex = (value: string) => ({ field: 'spec.nodeName', value, valueOf: (o: any) => String(o.spec?.nodeName ?? '') });

test('a watcher filed under a field value is offered only the writes whose object has or had that value', () => {
  const b = new WatchBroadcaster();
  const seen: string[] = [];
  const watch = (name: string, node?: string) =>
    b.subscribe('/core/pods/', (e) => seen.push(`${name} ${e.rev}`), () => {}, node === undefined ? undefined : nodeIndex(node));
  watch('n1', 'n1');
  watch('n2', 'n2');
  watch('unbound', '');
  watch('all');
  b.publish(onNode('/core/pods/d/p', 1, 'ADDED', ''));
  b.publish(onNode('/core/pods/d/p', 2, 'MODIFIED', 'n1', ''));
  b.publish(onNode('/core/pods/d/p', 3, 'MODIFIED', 'n1', 'n1'));
  b.publish(onNode('/core/pods/d/p', 4, 'MODIFIED', 'n2', 'n1'));
  b.publish(onNode('/core/pods/d/p', 5, 'DELETED', 'n2', 'n2'));
  // An ADDED event's previous value (none in the store) is never looked at.
  b.publish(onNode('/core/pods/d/q', 6, 'ADDED', 'n2', 'n1'));
  assert.deepEqual(seen, ['all 1', 'unbound 1', 'all 2', 'n1 2', 'unbound 2', 'all 3', 'n1 3', 'all 4', 'n2 4', 'n1 4', 'all 5', 'n2 5', 'all 6', 'n2 6']);
});

test('indexed watchers close, fail and count like the others, and leave no empty table behind', () => {
  const b = new WatchBroadcaster();
  const closed: string[] = [];
  const seen: string[] = [];
  const a = b.subscribe('/core/pods/', (e) => seen.push(`a ${e.rev}`), (why) => closed.push(`a ${why}`), nodeIndex('n1'));
  b.subscribe('/core/pods/', () => {
    throw new Error('boom');
  }, (why) => closed.push(`b ${why}`), nodeIndex('n1'));
  b.subscribe('/core/pods/', () => {}, (why) => closed.push(`c ${why}`), nodeIndex('n2'));
  assert.equal(b.size, 3);
  b.publish(onNode('/core/pods/d/p', 1, 'ADDED', 'n1'));
  assert.deepEqual(closed, ['b watcher failed: boom']);
  a.close('done');
  b.publish(onNode('/core/pods/d/p', 2, 'MODIFIED', 'n1', 'n1'));
  assert.deepEqual(seen, ['a 1']);
  assert.equal(b.size, 1);
  b.closeAll('store closed');
  assert.deepEqual(closed, ['b watcher failed: boom', 'a done', 'c store closed']);
  assert.equal(b.size, 0);
  // Subscribing again after everything went works from empty tables.
  b.subscribe('/core/pods/', (e) => seen.push(`d ${e.rev}`), () => {}, nodeIndex('n1'));
  b.publish(onNode('/core/pods/d/p', 3, 'MODIFIED', 'n1', 'n1'));
  assert.deepEqual(seen, ['a 1', 'd 3']);
});
