import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/apiserver/storage/sqlite-store.js';
import { Registry } from '../../src/apiserver/registry/registry.js';
import { findByKind } from '../../src/api/resources.js';
import { ApiError } from '../../src/api/errors.js';
import type { KubeObject } from '../../src/api/types.js';
import { pod } from '../helpers/builders.js';
import { bindPod } from '../../src/apiserver/registry/binding.js';
import { watchIndexFor } from '../../src/apiserver/registry/filters.js';

const NS = findByKind('Namespace')!;
const PODS = findByKind('Pod')!;
const CMS = findByKind('ConfigMap')!;
const DEPLOYS = findByKind('Deployment')!;

function withRegistry(fn: (reg: Registry) => void) {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'kctl-reg-'));
    const store = new SqliteStore(join(dir, 'kctl.db'));
    try {
      const reg = new Registry(store);
      reg.create(NS, undefined, { metadata: { name: 'default' } });
      fn(reg);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.reason;
    throw err;
  }
  return 'none';
}

test(
  'an update that changes nothing keeps the revision',
  withRegistry((reg) => {
    const cm = reg.create(CMS, 'default', { metadata: { name: 'a' }, data: { k: 'v' } });
    const same = reg.update(CMS, 'default', 'a', { metadata: { name: 'a' }, data: { k: 'v' } });
    assert.equal(same.metadata.resourceVersion, cm.metadata.resourceVersion);
    const changed = reg.update(CMS, 'default', 'a', { metadata: { name: 'a' }, data: { k: 'w' } });
    assert.notEqual(changed.metadata.resourceVersion, cm.metadata.resourceVersion);
  }),
);

test(
  'pods get Kubernetes defaults and the default tolerations on create',
  withRegistry((reg) => {
    const p = reg.create(PODS, 'default', pod('p'));
    assert.equal(p.spec.restartPolicy, 'Always');
    assert.equal(p.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(p.status.phase, 'Pending');
    assert.deepEqual(
      p.spec.tolerations.map((t: any) => `${t.key}:${t.effect}:${t.tolerationSeconds}`),
      ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300'],
    );
  }),
);

test(
  'an unbound pod is deleted at once; a bound one gets its grace period, then goes with grace 0',
  withRegistry((reg) => {
    reg.create(PODS, 'default', pod('loose'));
    assert.equal(reg.delete(PODS, 'default', 'loose').finished, true);
    assert.equal(reg.tryGet(PODS, 'default', 'loose'), undefined);

    reg.create(PODS, 'default', pod('bound', { spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 20 } }));
    const first = reg.delete(PODS, 'default', 'bound');
    assert.equal(first.finished, false);
    assert.equal(first.obj.metadata.deletionGracePeriodSeconds, 20);
    assert.ok(first.obj.metadata.deletionTimestamp);
    assert.equal(reg.delete(PODS, 'default', 'bound', { gracePeriodSeconds: 0 }).finished, true);
    assert.equal(reg.tryGet(PODS, 'default', 'bound'), undefined);
  }),
);

test(
  'finalizers hold an object until the last one is removed',
  withRegistry((reg) => {
    reg.create(CMS, 'default', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const marked = reg.delete(CMS, 'default', 'held');
    assert.equal(marked.finished, false);
    assert.ok(marked.obj.metadata.deletionTimestamp);
    const cur = reg.get(CMS, 'default', 'held');
    reg.update(CMS, 'default', 'held', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    assert.equal(reg.tryGet(CMS, 'default', 'held'), undefined);
  }),
);

test(
  'foreground and orphan propagation add their finalizers',
  withRegistry((reg) => {
    reg.create(CMS, 'default', { metadata: { name: 'fg' } });
    reg.create(CMS, 'default', { metadata: { name: 'or' } });
    assert.deepEqual(reg.delete(CMS, 'default', 'fg', { propagationPolicy: 'Foreground' }).obj.metadata.finalizers, ['foregroundDeletion']);
    assert.deepEqual(reg.delete(CMS, 'default', 'or', { propagationPolicy: 'Orphan' }).obj.metadata.finalizers, ['orphan']);
  }),
);

test(
  'status only through /status; spec changes bump generation, status changes do not',
  withRegistry((reg) => {
    const d = reg.create(DEPLOYS, 'default', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: pod('x').spec } },
      status: { replicas: 5 },
    });
    assert.equal(d.status?.replicas, undefined, 'status from a create is dropped');
    const s = reg.update(DEPLOYS, 'default', 'web', { ...d, status: { replicas: 2 } }, { subresource: 'status' });
    assert.equal(s.status.replicas, 2);
    assert.equal(s.metadata.generation, 1);
    const scaled = reg.patch(DEPLOYS, 'default', 'web', 'merge', { spec: { replicas: 3 }, status: { replicas: 9 } });
    assert.equal(scaled.metadata.generation, 2);
    assert.equal(scaled.status.replicas, 2);
  }),
);

test(
  'bad patches, names, namespaces and selectors are client errors',
  withRegistry((reg) => {
    reg.create(CMS, 'default', { metadata: { name: 'a' } });
    assert.equal(reason(() => reg.patch(CMS, 'default', 'a', 'json', [{ op: 'test', path: '/data/x', value: 1 }])), 'Invalid');
    assert.equal(reason(() => reg.create(CMS, 'nowhere', { metadata: { name: 'b' } })), 'NotFound');
    assert.equal(reason(() => reg.create(CMS, 'default', { metadata: { name: 'UPPER' } })), 'Invalid');
    assert.equal(reason(() => reg.create(CMS, 'default', { metadata: { name: 'a' } })), 'AlreadyExists');
    assert.equal(reason(() => reg.list(CMS, 'default', { labelSelector: 'a in (' })), 'BadRequest');
    assert.equal(reason(() => reg.list(CMS, 'default', { fieldSelector: 'spec.nope=1' })), 'BadRequest');
    assert.equal(reason(() => reg.create(CMS, 'default', { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'c' } } as KubeObject)), 'BadRequest');
  }),
);

test(
  'a filtered watch sees an object leave and enter its selector',
  withRegistry((reg) => {
    const seen: string[] = [];
    reg.create(CMS, 'default', { metadata: { name: 'm', labels: { team: 'a' } } });
    reg.watch(CMS, 'default', {
      labelSelector: 'team=a',
      resourceVersion: '0',
      onEvent: (type, json) => seen.push(`${type} ${JSON.parse(json).metadata.labels.team}`),
      onClose: () => {},
    });
    const cur = reg.get(CMS, 'default', 'm');
    const moved = reg.update(CMS, 'default', 'm', { ...cur, metadata: { ...cur.metadata, labels: { team: 'b' } } });
    reg.update(CMS, 'default', 'm', { ...moved, metadata: { ...moved.metadata, labels: { team: 'a' } } });
    assert.deepEqual(seen, ['ADDED a', 'DELETED b', 'ADDED a']);
  }),
);

test(
  'watches pinned to a node (filed under spec.nodeName) see exactly what a full scan would: ADDED on binding, MODIFIED, DELETED, in revision order',
  withRegistry((reg) => {
    const from = String(reg.store.currentRevision);
    const selectors = ['spec.nodeName=n1', 'spec.host=n1', 'spec.nodeName=n2', 'spec.nodeName=', 'spec.nodeName=n1,metadata.name=a', 'status.phase=Running'];
    type Seen = Record<string, string[]>;
    const watchAll = (committedOnly: boolean, resourceVersion: string): Seen => {
      const seen: Seen = {};
      for (const fieldSelector of selectors) {
        const events: string[] = (seen[fieldSelector] = []);
        reg.watch(PODS, undefined, {
          fieldSelector,
          resourceVersion,
          committedOnly,
          onEvent: (type, json) => {
            const o = JSON.parse(json);
            events.push(`${type} ${o.metadata.name}@${o.spec.nodeName ?? ''} ${o.metadata.resourceVersion}`);
          },
          onClose: () => {},
        });
      }
      return seen;
    };
    const live = watchAll(false, from);
    const committed = watchAll(true, from);
    reg.create(PODS, 'default', pod('a'));
    reg.create(PODS, 'default', pod('b', { spec: { nodeName: 'n2' } }));
    bindPod(reg, 'default', 'a', { metadata: { name: 'a' }, target: { name: 'n1' } }, false);
    const a = reg.get(PODS, 'default', 'a');
    reg.update(PODS, 'default', 'a', { ...a, status: { phase: 'Running' } }, { subresource: 'status' });
    reg.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    reg.create(PODS, 'default', pod('a', { spec: { nodeName: 'n2' } }));
    reg.delete(PODS, 'default', 'b', { gracePeriodSeconds: 0 });
    const names = (seen: Seen) => Object.fromEntries(Object.entries(seen).map(([sel, events]) => [sel, events.map((e) => e.split(' ').slice(0, 2).join(' '))]));
    assert.deepEqual(names(live), {
      'spec.nodeName=n1': ['ADDED a@n1', 'MODIFIED a@n1', 'DELETED a@n1'],
      'spec.host=n1': ['ADDED a@n1', 'MODIFIED a@n1', 'DELETED a@n1'],
      'spec.nodeName=n2': ['ADDED b@n2', 'ADDED a@n2', 'DELETED b@n2'],
      'spec.nodeName=': ['ADDED a@', 'DELETED a@n1'],
      'spec.nodeName=n1,metadata.name=a': ['ADDED a@n1', 'MODIFIED a@n1', 'DELETED a@n1'],
      'status.phase=Running': ['ADDED a@n1', 'DELETED a@n1'],
    });
    for (const events of Object.values(committed)) assert.deepEqual(events, [], 'nothing outside the process before the commit');
    reg.store.commitGroup();
    assert.deepEqual(committed, live, 'once committed, watchers outside the process get the same');
    // A watch resumed from the same revision replays the log (no index) and must agree, revision for revision.
    assert.deepEqual(watchAll(false, from), live);
    for (const events of Object.values(live)) {
      const revs = events.map((e) => Number(e.split(' ')[2]));
      assert.deepEqual(revs, [...revs].sort((x, y) => x - y));
    }
  }),
);

test('a watch is filed under the most selective field its selector pins with =, and under none otherwise', () => {
  const filed = (r: typeof PODS, sel: string | undefined) => {
    const index = watchIndexFor(r, sel);
    return index && `${index.field}=${index.value}`;
  };
  assert.equal(filed(PODS, 'spec.nodeName=n1'), 'spec.nodeName=n1');
  assert.equal(filed(PODS, 'spec.nodeName==n1,status.phase=Running'), 'spec.nodeName=n1');
  assert.equal(filed(PODS, 'spec.nodeName=n1,metadata.name=a'), 'metadata.name=a');
  assert.equal(filed(PODS, 'spec.nodeName=a\\,b'), 'spec.nodeName=a,b');
  assert.equal(filed(PODS, 'spec.nodeName='), 'spec.nodeName=');
  assert.equal(filed(PODS, 'spec.nodeName!=n1'), undefined);
  assert.equal(filed(PODS, 'status.phase=Running'), undefined);
  assert.equal(filed(PODS, ''), undefined);
  assert.equal(filed(PODS, undefined), undefined);
  assert.equal(filed(findByKind('Node')!, 'metadata.name=n1'), 'metadata.name=n1');
  assert.equal(filed(findByKind('Node')!, 'metadata.namespace=x'), undefined, 'Nodes offer no metadata.namespace');
});

test(
  'lists read the resourceVersion as Kubernetes does: Exact from the history, NotOlderThan now, future ones 504, compacted ones 410',
  withRegistry((reg) => {
    reg.create(CMS, 'default', { metadata: { name: 'a' }, data: { v: '1' } });
    const at = String(reg.store.currentRevision);
    reg.update(CMS, 'default', 'a', { metadata: { name: 'a' }, data: { v: '2' } });
    reg.create(CMS, 'default', { metadata: { name: 'b' } });
    const names = (res: { rows: { value: string }[] }) => res.rows.map((r) => `${JSON.parse(r.value).metadata.name}:${JSON.parse(r.value).data?.v ?? ''}`);
    const exact = reg.list(CMS, 'default', { resourceVersion: at, resourceVersionMatch: 'Exact' });
    assert.equal(exact.rev, Number(at));
    assert.deepEqual(names(exact), ['a:1']);
    const legacyExact = reg.list(CMS, 'default', { resourceVersion: at, limit: 10 });
    assert.deepEqual(names(legacyExact), ['a:1'], 'a limit with a resourceVersion and no match is the legacy Exact');
    const notOlder = reg.list(CMS, 'default', { resourceVersion: at, resourceVersionMatch: 'NotOlderThan' });
    assert.equal(notOlder.rev, reg.store.currentRevision);
    assert.deepEqual(names(notOlder), ['a:2', 'b:']);
    const future = String(reg.store.currentRevision + 5);
    assert.throws(
      () => reg.list(CMS, 'default', { resourceVersion: future }),
      (e: ApiError) => e.code === 504 && e.reason === 'Timeout' && e.details?.causes?.[0].reason === 'ResourceVersionTooLarge',
    );
    reg.store.compact(reg.store.currentRevision);
    assert.throws(
      () => reg.list(CMS, 'default', { resourceVersion: at, resourceVersionMatch: 'Exact' }),
      (e: ApiError) => e.code === 410 && e.message === 'The resourceVersion for the provided list is too old.',
    );
  }),
);

test(
  'the pages of a paged list come from the first page\'s snapshot; continue with a resourceVersion is refused',
  withRegistry((reg) => {
    for (const n of ['a', 'b', 'c']) reg.create(CMS, 'default', { metadata: { name: n } });
    const first = reg.list(CMS, 'default', { limit: 2 });
    reg.create(CMS, 'default', { metadata: { name: 'd' } });
    reg.delete(CMS, 'default', 'c');
    const second = reg.list(CMS, 'default', { limit: 2, continue: first.continueToken });
    assert.deepEqual(second.rows.map((r) => JSON.parse(r.value).metadata.name), ['c']);
    assert.equal(second.rev, first.rev);
    assert.equal(second.continueToken, undefined);
    assert.throws(
      () => reg.list(CMS, 'default', { continue: first.continueToken, resourceVersion: '5' }),
      (e: ApiError) => e.code === 400 && e.message === 'specifying resource version is not allowed when using continue',
    );
    assert.throws(() => reg.list(CMS, 'default', { continue: 'bm90IGEgdG9rZW4' }), (e: ApiError) => e.code === 400 && /invalid continue token/.test(e.message));
  }),
);

test(
  'watch-list: initial ADDED events for the current state, then the end of them, then changes; sendInitialEvents=false starts now',
  withRegistry((reg) => {
    reg.create(CMS, 'default', { metadata: { name: 'a' } });
    const events: string[] = [];
    const sub = reg.watch(CMS, 'default', {
      sendInitialEvents: true,
      resourceVersion: '1',
      onEvent: (type, json) => events.push(`${type} ${JSON.parse(json).metadata.name}`),
      onInitialEventsEnd: (rev) => events.push(`END ${rev === reg.store.currentRevision}`),
      onClose: () => {},
    });
    reg.create(CMS, 'default', { metadata: { name: 'b' } });
    sub.close();
    assert.deepEqual(events, ['ADDED a', 'END true', 'ADDED b']);
    const quiet: string[] = [];
    reg.watch(CMS, 'default', { sendInitialEvents: false, onEvent: (type, json) => quiet.push(`${type} ${JSON.parse(json).metadata.name}`), onClose: () => {} });
    reg.create(CMS, 'default', { metadata: { name: 'c' } });
    assert.deepEqual(quiet, ['ADDED c']);
  }),
);

test(
  'a namespace takes new objects until it is being deleted, and none once it is gone',
  withRegistry((reg) => {
    reg.create(NS, undefined, { metadata: { name: 'team' } });
    reg.create(CMS, 'team', { metadata: { name: 'a' } });
    reg.delete(NS, undefined, 'team');
    assert.ok(reg.get(NS, undefined, 'team').metadata.deletionTimestamp, 'the namespace waits for its finalizer');
    let message = '';
    try {
      reg.create(CMS, 'team', { metadata: { name: 'b' } });
    } catch (err) {
      message = (err as ApiError).message;
    }
    assert.equal(message, 'configmaps "b" is forbidden: unable to create new content in namespace team because it is being terminated');
    assert.equal(reason(() => reg.create(CMS, 'elsewhere', { metadata: { name: 'c' } })), 'NotFound');
  }),
);
