import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Informer } from '../../src/api/informer.js';
import { SharedInformers } from '../../src/api/shared-informers.js';
import { findByKind } from '../../src/api/resources.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';

const CMS = findByKind('ConfigMap')!;
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

const setup = inProcessRegistry;

test('an informer lists in pages, then follows the watch; handlers see add, update and delete', async () => {
  const { registry, client, done } = setup();
  try {
    for (let i = 0; i < 7; i++) registry.create(CMS, 'default', { metadata: { name: `cm-${i}` }, data: { v: '0' } });
    const inf = new Informer(client, CMS, undefined, { pageSize: 3 });
    const seen: string[] = [];
    inf.addHandlers({
      add: (o) => seen.push(`add ${o.metadata.name}`),
      update: (_a, b) => seen.push(`update ${b.metadata.name} ${b.data.v}`),
      delete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    inf.start();
    await inf.hasSynced();
    assert.equal(inf.list('default').length, 7);
    registry.update(CMS, 'default', 'cm-1', { metadata: { name: 'cm-1' }, data: { v: '1' } });
    registry.delete(CMS, 'default', 'cm-2');
    registry.create(CMS, 'default', { metadata: { name: 'cm-new' } });
    await tick();
    assert.equal(inf.get('default/cm-1')!.data.v, '1');
    assert.equal(inf.get('default/cm-2'), undefined);
    assert.deepEqual(seen.slice(7), ['update cm-1 1', 'delete cm-2', 'add cm-new']);
    inf.stop();
  } finally {
    done();
  }
});

test('a metadata-only informer keeps no spec or data', async () => {
  const { registry, client, done } = setup();
  try {
    registry.create(CMS, 'default', { metadata: { name: 'big', labels: { a: 'b' } }, data: { v: 'x'.repeat(1000) } });
    const inf = new Informer(client, CMS, undefined, { metadataOnly: true });
    inf.start();
    await inf.hasSynced();
    registry.create(CMS, 'default', { metadata: { name: 'later' }, data: { v: 'y' } });
    await tick();
    for (const key of ['default/big', 'default/later']) {
      const o = inf.get(key)!;
      assert.equal(o.data, undefined);
      assert.ok(o.metadata.uid);
    }
    inf.stop();
  } finally {
    done();
  }
});

test('after compaction takes its revision away, the informer lists again and catches up', async () => {
  const { store, registry, client, done } = setup();
  try {
    registry.create(CMS, 'default', { metadata: { name: 'a' } });
    const inf = new Informer(client, CMS);
    inf.start();
    await inf.hasSynced();
    // The broadcaster closes the watch (as a daemon restart would); meanwhile history is compacted.
    store.broadcaster.closeAll('restart');
    registry.create(CMS, 'default', { metadata: { name: 'b' } });
    store.compact(store.currentRevision);
    await tick(50);
    assert.ok(inf.get('default/b'), 'the re-list found what was written while the watch was down');
    inf.stop();
  } finally {
    done();
  }
});

test('caches keep no managedFields, and a metadata informer beside a full one shares its objects\' metadata', async () => {
  const { registry, client, done } = setup();
  const informers = new SharedInformers(client);
  try {
    registry.create(CMS, 'default', { metadata: { name: 'before' }, data: { v: '0' } });
    const meta = informers.metadataInformer(CMS);
    const full = informers.informer(CMS);
    informers.start();
    await Promise.all([full.hasSynced(), meta.hasSynced()]);
    registry.create(CMS, 'default', { metadata: { name: 'after' }, data: { v: '1' } });
    await tick();
    assert.ok(registry.get(CMS, 'default', 'after').metadata.managedFields, 'the store keeps them');
    for (const name of ['before', 'after']) {
      const f = full.get(`default/${name}`)!;
      assert.equal(f.metadata.managedFields, undefined, name);
      assert.equal(f.data.v, name === 'before' ? '0' : '1');
      const m = meta.get(`default/${name}`)!;
      assert.equal(m.data, undefined);
      assert.equal(m.metadata, f.metadata, `${name}: one metadata object for both caches`);
    }
    registry.delete(CMS, 'default', 'before');
    await tick();
    assert.equal(meta.get('default/before'), undefined);
    // An update from a cached object (no managedFields) leaves the stored ones as they were.
    const stored = registry.get(CMS, 'default', 'after').metadata.managedFields;
    registry.update(CMS, 'default', 'after', { ...full.get('default/after')!, data: { v: '1' } });
    assert.deepEqual(registry.get(CMS, 'default', 'after').metadata.managedFields, stored);
  } finally {
    informers.stop();
    done();
  }
});

test('a watch that just ends resumes from its last revision; one whose revision is gone lists again; a field selector narrows both', async () => {
  const { store, registry, client, done } = setup();
  let lists = 0;
  const counting = Object.assign(Object.create(client), {
    list: (...args: Parameters<typeof client.list>) => {
      lists++;
      return client.list(...args);
    },
  }) as typeof client;
  const inf = new Informer(counting, CMS, undefined, { fieldSelector: 'metadata.name!=other' });
  let listed = 0;
  inf.addHandlers({ listed: () => listed++ });
  try {
    registry.create(CMS, 'default', { metadata: { name: 'a' } });
    registry.create(CMS, 'default', { metadata: { name: 'other' } });
    inf.start();
    await inf.hasSynced();
    assert.deepEqual([lists, listed], [1, 1]);
    assert.deepEqual(inf.list().map((o) => o.metadata.name), ['a']);

    store.broadcaster.closeAll('restart');
    registry.create(CMS, 'default', { metadata: { name: 'b' } });
    registry.update(CMS, 'default', 'other', { metadata: { name: 'other' }, data: { v: '1' } });
    await tick(50);
    assert.ok(inf.get('default/b'), 'the resumed watch delivered what was written while it was down');
    assert.equal(inf.get('default/other'), undefined);
    assert.deepEqual([lists, listed], [1, 1], 'resumed without listing again');

    store.broadcaster.closeAll('restart');
    registry.create(CMS, 'default', { metadata: { name: 'c' } });
    store.compact(store.currentRevision);
    await tick(50);
    assert.ok(inf.get('default/c'));
    assert.deepEqual([lists, listed], [2, 2], 'listed again once the revision was compacted');
  } finally {
    await inf.stop();
    done();
  }
});
