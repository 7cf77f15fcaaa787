import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, StoreError } from '../../src/apiserver/storage/sqlite-store.js';
import type { StoreEvent } from '../../src/apiserver/storage/watch-broadcaster.js';
import type { KubeObject } from '../../src/api/types.js';

function withStore(fn: (store: SqliteStore, dir: string) => void | Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kctl-store-'));
    const store = new SqliteStore(join(dir, 'kctl.db'));
    try {
      await fn(store, dir);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

test(
  'every write gets the next revision, written into resourceVersion',
  withStore((store) => {
    const a = store.create('/core/configmaps/default/a', cm('a'));
    const b = store.create('/core/configmaps/default/b', cm('b'));
    assert.equal(Number(b.metadata.resourceVersion), Number(a.metadata.resourceVersion) + 1);
    const a2 = store.update('/core/configmaps/default/a', cm('a', { x: '1' }));
    assert.equal(Number(a2.metadata.resourceVersion), Number(b.metadata.resourceVersion) + 1);
    assert.equal(store.currentRevision, Number(a2.metadata.resourceVersion));
    const got = store.get('/core/configmaps/default/a')!;
    assert.equal(got.rev, store.currentRevision);
    assert.deepEqual(JSON.parse(got.value).data, { x: '1' });
  }),
);

test(
  'create of an existing key fails; update and delete of a missing one fail',
  withStore((store) => {
    store.create('/k/a', cm('a'));
    assert.throws(() => store.create('/k/a', cm('a')), (e: StoreError) => e.code === 'AlreadyExists');
    assert.throws(() => store.update('/k/missing', cm('m')), (e: StoreError) => e.code === 'NotFound');
    assert.throws(() => store.delete('/k/missing'), (e: StoreError) => e.code === 'NotFound');
  }),
);

test(
  'compare-and-swap: an update with a stale revision is refused and changes nothing',
  withStore((store) => {
    const first = store.create('/k/a', cm('a', { v: '1' }));
    const rev1 = Number(first.metadata.resourceVersion);
    store.update('/k/a', cm('a', { v: '2' }), rev1);
    assert.throws(() => store.update('/k/a', cm('a', { v: 'stale' }), rev1), (e: StoreError) => e.code === 'Conflict');
    assert.equal(JSON.parse(store.get('/k/a')!.value).data.v, '2');
    assert.throws(() => store.delete('/k/a', rev1), (e: StoreError) => e.code === 'Conflict');
  }),
);

test(
  'list returns live objects under a prefix in key order, with paging after a key',
  withStore((store) => {
    for (const n of ['c', 'a', 'b']) store.create(`/core/configmaps/default/${n}`, cm(n));
    store.create('/core/configmaps/other/z', cm('z'));
    store.create('/core/configmapsx/default/q', cm('q'));
    store.delete('/core/configmaps/default/b');
    assert.deepEqual(store.list('/core/configmaps/default/').map((r) => r.key.split('/').pop()), ['a', 'c']);
    assert.equal(store.list('/core/configmaps/').length, 3);
    assert.deepEqual(store.list('/core/configmaps/', { afterKey: '/core/configmaps/default/a', limit: 1 }).map((r) => r.key), [
      '/core/configmaps/default/c',
    ]);
    assert.equal(store.count('/core/configmaps/'), 3);
  }),
);

test(
  'watch pushes events after commit, filtered by prefix, without polling',
  withStore((store) => {
    const seen: StoreEvent[] = [];
    const sub = store.watch('/k/ns1/', store.currentRevision, (e) => seen.push(e), () => {});
    store.create('/k/ns1/a', cm('a'));
    store.create('/k/ns2/b', cm('b'));
    store.update('/k/ns1/a', cm('a', { v: '2' }));
    store.delete('/k/ns1/a');
    sub.close();
    store.create('/k/ns1/after-close', cm('x'));
    assert.deepEqual(
      seen.map((e) => [e.type, e.key]),
      [
        ['ADDED', '/k/ns1/a'],
        ['MODIFIED', '/k/ns1/a'],
        ['DELETED', '/k/ns1/a'],
      ],
    );
    // DELETED carries the last state at the deletion's revision; MODIFIED knows the previous state.
    assert.equal(JSON.parse(seen[2].value).metadata.resourceVersion, String(seen[2].rev));
    assert.equal(JSON.parse(seen[1].prevValue!).data.v, undefined);
  }),
);

test(
  'watch from an old revision replays the log, then continues live, with no gap or duplicate',
  withStore((store) => {
    const start = store.currentRevision;
    store.create('/k/a', cm('a'));
    store.update('/k/a', cm('a', { v: '2' }));
    const from = store.currentRevision;
    store.create('/k/b', cm('b'));
    const seen: number[] = [];
    store.watch('/k/', start, (e) => seen.push(e.rev), () => {});
    store.create('/k/c', cm('c'));
    assert.deepEqual(seen, [start + 1, start + 2, start + 3, start + 4]);
    const later: number[] = [];
    store.watch('/k/', from, (e) => later.push(e.rev), () => {});
    assert.deepEqual(later, [from + 1, from + 2]);
  }),
);

test(
  'compaction keeps live objects, drops old history and answers older watches with Compacted',
  withStore((store) => {
    store.create('/k/a', cm('a'));
    for (let i = 0; i < 10; i++) store.update('/k/a', cm('a', { v: String(i) }));
    store.create('/k/gone', cm('gone'));
    store.delete('/k/gone');
    const compactAt = store.currentRevision;
    const removed = store.compact(compactAt);
    assert.equal(removed, 12, 'ten superseded versions of a, the created and the deleted gone');
    assert.equal(JSON.parse(store.get('/k/a')!.value).data.v, '9');
    assert.throws(
      () => store.watch('/k/', compactAt - 1, () => {}, () => {}),
      (e: StoreError) => e.code === 'Compacted' && /too old resource version/.test(e.message),
    );
    const seen: string[] = [];
    store.watch('/k/', compactAt, (e) => seen.push(e.key), () => {});
    store.update('/k/a', cm('a', { v: 'new' }));
    assert.deepEqual(seen, ['/k/a']);
  }),
);

test(
  'under steady churn, compaction keeps the database file bounded',
  withStore((store, dir) => {
    const big = 'x'.repeat(2000);
    for (let i = 0; i < 20; i++) store.create(`/k/${i}`, cm(String(i), { big }));
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 20; i++) store.update(`/k/${i}`, cm(String(i), { big, round: String(round) }));
    }
    store.compact(store.currentRevision);
    const size = statSync(join(dir, 'kctl.db')).size;
    const live = store.list('/k/').reduce((n, r) => n + r.value.length, 0);
    assert.ok(size <= 10 * live, `file ${size} bytes for ${live} bytes of live data`);
  }),
);

test(
  'a watcher that throws is dropped without stopping the writer or other watchers',
  withStore((store) => {
    const closed: string[] = [];
    store.watch('/k/', store.currentRevision, () => {
      throw new Error('boom');
    }, (reason) => closed.push(reason));
    const seen: string[] = [];
    store.watch('/k/', store.currentRevision, (e) => seen.push(e.key), () => {});
    store.create('/k/a', cm('a'));
    store.create('/k/b', cm('b'));
    assert.deepEqual(seen, ['/k/a', '/k/b']);
    assert.equal(closed.length, 1);
    assert.match(closed[0], /boom/);
  }),
);

test(
  'revisions survive a reopen; after a restore new writes start above the floor and every older watch re-lists',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kctl-store-'));
    try {
      const file = join(dir, 'kctl.db');
      let store = new SqliteStore(file);
      store.create('/k/a', cm('a'));
      store.delete('/k/a');
      const rev = store.currentRevision;
      store.close();
      store = new SqliteStore(file);
      assert.equal(store.currentRevision, rev);
      store.startAfterRestore(rev + 100);
      // A watcher that had seen everything up to the floor still re-lists.
      assert.throws(() => store.watch('/k/', rev + 99, () => {}, () => {}), (e: StoreError) => e.code === 'Compacted');
      assert.doesNotThrow(() => store.watch('/k/', rev + 100, () => {}, () => {}).close());
      const next = store.create('/k/b', cm('b'));
      assert.equal(Number(next.metadata.resourceVersion), rev + 101);
      assert.throws(() => store.watch('/k/', rev, () => {}, () => {}), (e: StoreError) => e.code === 'Compacted');
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'the state at a past revision is read from the history, and compaction keeps what a read at its revision needs',
  withStore((store) => {
    store.create('/k/a', cm('a', { v: '1' }));
    store.create('/k/b', cm('b'));
    const at = store.currentRevision;
    store.update('/k/a', cm('a', { v: '2' }));
    store.delete('/k/b');
    store.create('/k/c', cm('c'));
    const state = (rev: number) => store.listAt('/k/', rev).map((r) => `${r.key}=${JSON.parse(r.value).data.v ?? ''}@${r.rev}`);
    assert.deepEqual(state(at), [`/k/a=1@${at - 1}`, `/k/b=@${at}`]);
    assert.deepEqual(state(store.currentRevision), store.list('/k/').map((r) => `${r.key}=${JSON.parse(r.value).data.v ?? ''}@${r.rev}`));
    assert.deepEqual(store.listAt('/k/', at, { afterKey: '/k/a' }).map((r) => r.key), ['/k/b']);
    store.compact(at);
    assert.deepEqual(state(at), [`/k/a=1@${at - 1}`, `/k/b=@${at}`], 'the compaction revision itself stays readable');
    assert.throws(() => store.listAt('/k/', at - 1), (e: StoreError) => e.code === 'Compacted');
    store.compact(store.currentRevision);
    assert.deepEqual(state(store.currentRevision).length, 2, 'a and c');
  }),
);

test(
  'a watch from a revision the store has not reached starts after it',
  withStore((store) => {
    const seen: number[] = [];
    const from = store.currentRevision + 1;
    store.watch('/k/', from, (e) => seen.push(e.rev), () => {});
    store.create('/k/a', cm('a'));
    store.create('/k/b', cm('b'));
    assert.deepEqual(seen, [from + 1]);
  }),
);

test(
  'a watcher outside the process gets a write once it is committed, each write once, even when it began among uncommitted writes',
  withStore((store) => {
    const start = store.currentRevision;
    const inProcess: number[] = [];
    store.watch('/k/', start, (e) => inProcess.push(e.rev), () => {});
    store.create('/k/a', cm('a'));
    store.commitGroup();
    store.create('/k/b', cm('b'));
    // b is readable and in-process watchers have it, but a crash now would take its revision back.
    assert.deepEqual(inProcess, [start + 1, start + 2]);
    const outside: number[] = [];
    store.watch('/k/', start, (e) => outside.push(e.rev), () => {}, { committedOnly: true });
    assert.deepEqual(outside, [start + 1]);
    const fromList: number[] = [];
    store.watch('/k/', store.currentRevision, (e) => fromList.push(e.rev), () => {}, { committedOnly: true });
    store.create('/k/c', cm('c'));
    assert.deepEqual(outside, [start + 1]);
    store.commitGroup();
    assert.deepEqual(outside, [start + 1, start + 2, start + 3]);
    assert.deepEqual(fromList, [start + 3], 'a watch from a listed revision gets only what came after it');
  }),
);

test('BATCHED: the writes of one turn share one commit and one sync; a later write gets its own; durable() waits for the commit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-store-'));
  const store = new SqliteStore(join(dir, 'kctl.db'), { synchronous: 'BATCHED' });
  try {
    const waiting = Array.from({ length: 50 }, (_, i) => {
      store.create(`/k/c${i}`, cm(`c${i}`));
      return store.durable();
    });
    assert.equal(new Set(waiting).size, 1);
    await waiting[0];
    // Committed: another connection sees every write.
    const reader = new SqliteStore(join(dir, 'kctl.db'), { readonly: true });
    assert.equal(reader.count('/k/'), 50);
    reader.close();
    store.create('/k/last', cm('last'));
    const last = store.durable();
    assert.notEqual(last, waiting[0]);
    await last;
    // The other modes need no sync of their own, only the commit.
    const normal = new SqliteStore(join(dir, 'normal.db'), { synchronous: 'NORMAL' });
    normal.create('/k/n', cm('n'));
    await normal.durable();
    const normalReader = new SqliteStore(join(dir, 'normal.db'), { readonly: true });
    assert.equal(normalReader.count('/k/'), 1);
    normalReader.close();
    normal.close();
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
