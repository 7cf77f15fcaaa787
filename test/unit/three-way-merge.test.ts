import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createThreeWayMergePatch, createTwoWayMergePatch } from '../../src/api/patch/three-way-merge.js';
import { applyStrategicMergePatch } from '../../src/api/patch/strategic-merge.js';
import { patchMetaFor } from '../../src/api/patch/patch-merge-keys.js';
import { isJsonObject, type JsonObject } from '../../src/api/patch/merge-patch.js';

// The Deployment web with exactly the fields a case gives: what is applied is the test's subject.
const webDeployment = (spec: JsonObject, metadata: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...metadata },
  spec,
});

const withContainers = (containers: JsonObject[], extra: JsonObject = {}) => ({ ...extra, template: { spec: { containers } } });

/** What the server holds after creating `manifest`, plus defaults and status. */
const live = (manifest: JsonObject, extra: (obj: any) => void = () => {}): JsonObject => {
  const obj: any = structuredClone(manifest);
  obj.metadata.uid = 'u-1';
  obj.spec.revisionHistoryLimit = 10;
  for (const c of obj.spec.template?.spec?.containers ?? []) c.imagePullPolicy = 'IfNotPresent';
  obj.status = { replicas: 1, readyReplicas: 1 };
  extra(obj);
  return obj;
};

interface Case {
  name: string;
  lastApplied: JsonObject | undefined;
  modified: JsonObject;
  current: JsonObject;
  patch: JsonObject;
}

const nginx = { name: 'nginx', image: 'nginx:1' };

const cases: Case[] = [
  {
    name: 'nothing to change gives {}',
    lastApplied: webDeployment(withContainers([nginx])),
    modified: webDeployment(withContainers([nginx])),
    current: live(webDeployment(withContainers([nginx]))),
    patch: {},
  },
  {
    name: 'a replica count set by kubectl scale is left alone when the manifest does not set it',
    lastApplied: webDeployment(withContainers([nginx])),
    modified: webDeployment(withContainers([nginx])),
    current: live(webDeployment(withContainers([nginx])), (o) => (o.spec.replicas = 5)),
    patch: {},
  },
  {
    name: 'a replica count the manifest sets wins over kubectl scale',
    lastApplied: webDeployment(withContainers([nginx], { replicas: 3 })),
    modified: webDeployment(withContainers([nginx], { replicas: 3 })),
    current: live(webDeployment(withContainers([nginx], { replicas: 3 })), (o) => (o.spec.replicas = 5)),
    patch: { spec: { replicas: 3 } },
  },
  {
    name: 'a changed image patches the container by name and sends the order',
    lastApplied: webDeployment(withContainers([nginx])),
    modified: webDeployment(withContainers([{ name: 'nginx', image: 'nginx:2' }])),
    current: live(webDeployment(withContainers([nginx]))),
    patch: {
      spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }], '$setElementOrder/containers': [{ name: 'nginx' }] } } },
    },
  },
  {
    name: 'a field dropped from the manifest is deleted with null',
    lastApplied: webDeployment(withContainers([nginx]), { labels: { app: 'web', tier: 'fe' } }),
    modified: webDeployment(withContainers([nginx]), { labels: { app: 'web' } }),
    current: live(webDeployment(withContainers([nginx]), { labels: { app: 'web', tier: 'fe', added: 'by-someone' } })),
    patch: { metadata: { labels: { tier: null } } },
  },
  {
    name: 'a dropped container is deleted with $patch: delete',
    lastApplied: webDeployment(withContainers([nginx, { name: 'sidecar', image: 's' }])),
    modified: webDeployment(withContainers([nginx])),
    current: live(webDeployment(withContainers([nginx, { name: 'sidecar', image: 's' }]))),
    patch: {
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], '$setElementOrder/containers': [{ name: 'nginx' }] } } },
    },
  },
  {
    name: 'a kept container with one env var dropped and another changed gets one united item patch',
    lastApplied: webDeployment(withContainers([{ ...nginx, env: [{ name: 'A', value: '1' }, { name: 'B', value: '1' }] }])),
    modified: webDeployment(withContainers([{ ...nginx, env: [{ name: 'A', value: '2' }] }])),
    current: live(webDeployment(withContainers([{ ...nginx, env: [{ name: 'A', value: '1' }, { name: 'B', value: '1' }] }]))),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [
              {
                name: 'nginx',
                '$setElementOrder/env': [{ name: 'A' }],
                env: [
                  { name: 'A', value: '2' },
                  { name: 'B', $patch: 'delete' },
                ],
              },
            ],
          },
        },
      },
    },
  },
  {
    name: 'a dropped finalizer uses $deleteFromPrimitiveList and keeps the ones others added',
    lastApplied: webDeployment(withContainers([nginx]), { finalizers: ['a', 'b'] }),
    modified: webDeployment(withContainers([nginx]), { finalizers: ['a'] }),
    current: live(webDeployment(withContainers([nginx]), { finalizers: ['a', 'b', 'other'] })),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'], '$setElementOrder/finalizers': ['a'] } },
  },
  {
    name: 'switching the strategy type clears server defaults through $retainKeys',
    lastApplied: webDeployment(withContainers([nginx], { strategy: { type: 'RollingUpdate' } })),
    modified: webDeployment(withContainers([nginx], { strategy: { type: 'Recreate' } })),
    current: live(webDeployment(withContainers([nginx], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }))),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
  },
  {
    name: 'without a last-applied configuration nothing is deleted',
    lastApplied: undefined,
    modified: webDeployment(withContainers([nginx]), { labels: { app: 'web' } }),
    current: live(webDeployment(withContainers([nginx]), { labels: { app: 'web', old: 'x' } })),
    patch: {},
  },
  {
    name: 'lists without a merge key are sent whole when they differ',
    lastApplied: webDeployment(withContainers([{ ...nginx, args: ['a'] }])),
    modified: webDeployment(withContainers([{ ...nginx, args: ['a', 'b'] }])),
    current: live(webDeployment(withContainers([{ ...nginx, args: ['a'] }]))),
    patch: {
      spec: { template: { spec: { containers: [{ name: 'nginx', args: ['a', 'b'] }], '$setElementOrder/containers': [{ name: 'nginx' }] } } },
    },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const inputs = structuredClone([c.lastApplied, c.modified, c.current]);
    assert.deepEqual(createThreeWayMergePatch(c.lastApplied, c.modified, c.current, 'Deployment'), c.patch);
    assert.deepEqual([c.lastApplied, c.modified, c.current], inputs, 'inputs untouched');
  });
}

// Cases from Kubernetes' own strategicpatch tests (patch_test.go), with their `mergingList` mapped to
// pod containers (merged by name), `mergingIntList` to finalizers (a merged set) and
// `retainKeysMap` to a Deployment's strategy.
interface Fixture {
  name: string;
  kind: string;
  wrap: (value: unknown) => JsonObject;
  lastApplied: unknown;
  modified: unknown;
  current: unknown;
  patch: unknown;
  result: unknown;
}

const byName = (name: number, extra: JsonObject = {}) => ({ name, ...extra });
const mergingList = (value: unknown) => (value === undefined ? {} : { spec: { containers: value } });
const mergingIntList = (value: unknown) => (value === undefined ? {} : { metadata: { finalizers: value } });
const retainKeysMap = (value: unknown) => (value === undefined ? {} : { spec: { strategy: value } });
const listPatch = (patch: JsonObject) => ({ spec: patch });
const intListPatch = (patch: JsonObject) => ({ metadata: patch });

const fixtures: Fixture[] = [
  {
    name: 'add an item in a list of primitives and preserve order',
    kind: 'Pod',
    wrap: mergingIntList,
    lastApplied: [1, 2],
    modified: [3, 1, 2],
    current: [1, 4, 2],
    patch: intListPatch({ '$setElementOrder/finalizers': [3, 1, 2], finalizers: [3] }),
    result: [3, 1, 4, 2],
  },
  {
    name: 'add and delete an item in a int list and preserve order',
    kind: 'Pod',
    wrap: mergingIntList,
    lastApplied: [1, 3, 2],
    modified: [4, 2, 1],
    current: [1, 2, 3],
    patch: intListPatch({ '$setElementOrder/finalizers': [4, 2, 1], finalizers: [4], '$deleteFromPrimitiveList/finalizers': [3] }),
    result: [4, 2, 1],
  },
  {
    name: 'set elements order in a int list with server-only items 3',
    kind: 'Pod',
    wrap: mergingIntList,
    lastApplied: [1, 2, 3, 4],
    modified: [2, 1, 4, 3],
    current: [1, 2, 7, 9, 8, 3, 4],
    patch: intListPatch({ '$setElementOrder/finalizers': [2, 1, 4, 3] }),
    result: [2, 1, 7, 9, 8, 4, 3],
  },
  {
    name: 'add multiple items in a list and preserve order',
    kind: 'Pod',
    wrap: mergingList,
    lastApplied: [byName(1), byName(2, { value: 2 })],
    modified: [byName(1), byName(4, { value: 4 }), byName(2, { value: 2 }), byName(3, { value: 3 })],
    current: [byName(1, { other: 'a' }), byName(2, { value: 2, other: 'b' })],
    patch: listPatch({
      '$setElementOrder/containers': [byName(1), byName(4), byName(2), byName(3)],
      containers: [byName(4, { value: 4 }), byName(3, { value: 3 })],
    }),
    result: [byName(1, { other: 'a' }), byName(4, { value: 4 }), byName(2, { value: 2, other: 'b' }), byName(3, { value: 3 })],
  },
  {
    name: 'add and delete an item in a list and preserve order',
    kind: 'Pod',
    wrap: mergingList,
    lastApplied: [byName(1), byName(3, { value: 3 }), byName(2, { value: 2 })],
    modified: [byName(4, { value: 4 }), byName(2, { value: 2 }), byName(1)],
    current: [byName(1, { other: 'a' }), byName(2, { value: 2, other: 'b' }), byName(3, { value: 3 })],
    patch: listPatch({
      '$setElementOrder/containers': [byName(4), byName(2), byName(1)],
      containers: [byName(4, { value: 4 }), { name: 3, $patch: 'delete' }],
    }),
    result: [byName(4, { value: 4 }), byName(2, { value: 2, other: 'b' }), byName(1, { other: 'a' })],
  },
  {
    name: 'set elements order in a list with server-only items 2',
    kind: 'Pod',
    wrap: mergingList,
    lastApplied: [byName(1), byName(2, { value: 2 }), byName(3, { value: 3 }), byName(4, { value: 4 })],
    modified: [byName(2, { value: 2 }), byName(1), byName(4, { value: 4 }), byName(3, { value: 3 })],
    current: [byName(1, { other: 'a' }), byName(2, { value: 2 }), byName(9), byName(3, { value: 3 }), byName(4, { value: 4 })],
    patch: listPatch({ '$setElementOrder/containers': [byName(2), byName(1), byName(4), byName(3)] }),
    result: [byName(2, { value: 2 }), byName(1, { other: 'a' }), byName(9), byName(4, { value: 4 }), byName(3, { value: 3 })],
  },
  {
    name: 'retainKeys map should clear defaulted field with conflict (discriminated union)',
    kind: 'Deployment',
    wrap: retainKeysMap,
    lastApplied: undefined,
    modified: { name: 'type2', other: 'bar' },
    current: { name: 'type1', value: 'foo' },
    patch: retainKeysMap({ $retainKeys: ['name', 'other'], name: 'type2', other: 'bar' }),
    result: { name: 'type2', other: 'bar' },
  },
  {
    name: 'retainKeys map clears a field',
    kind: 'Deployment',
    wrap: retainKeysMap,
    lastApplied: { name: 'foo', value: 'bar' },
    modified: { name: 'foo', value: 'bar' },
    current: { name: 'foo', value: 'bar', other: 'a' },
    patch: retainKeysMap({ $retainKeys: ['name', 'value'] }),
    result: { name: 'foo', value: 'bar' },
  },
  {
    name: 'retainKeys map deletes a field in a nested map',
    kind: 'Deployment',
    wrap: retainKeysMap,
    lastApplied: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key2: 'b' } },
    modified: { name: 'foo', value: 'bar', simpleMap: { key1: 'a' } },
    current: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key2: 'b', key3: 'c' } },
    patch: retainKeysMap({ $retainKeys: ['name', 'simpleMap', 'value'], simpleMap: { key2: null } }),
    result: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key3: 'c' } },
  },
  {
    name: 'retainKeys map delete nested non-merging list with conflict',
    kind: 'Deployment',
    wrap: retainKeysMap,
    lastApplied: { name: 'foo', nonMergingList: [{ name: 'a' }, { name: 'b' }] },
    modified: { name: 'foo', value: 'bar' },
    current: { name: 'foo', nonMergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
    patch: retainKeysMap({ $retainKeys: ['name', 'value'], value: 'bar', nonMergingList: null }),
    result: { name: 'foo', value: 'bar' },
  },
];

for (const f of fixtures) {
  test(`Kubernetes fixture: ${f.name}`, () => {
    const patch = createThreeWayMergePatch(f.wrap(f.lastApplied), f.wrap(f.modified), f.wrap(f.current), f.kind);
    assert.deepEqual(patch, f.patch);
    assert.deepEqual(applyStrategicMergePatch(f.wrap(f.current), patch, f.kind), f.wrap(f.result));
  });
}

test('two-way patches turn the original into the modified object', () => {
  const original = { metadata: { labels: { a: '1', gone: 'x' } }, spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] } };
  const modified = { metadata: { labels: { a: '2', b: '3' } }, spec: { containers: [{ name: 'b', image: '1' }, { name: 'c', image: '1' }] } };
  const patch = createTwoWayMergePatch(original, modified, 'Pod');
  assert.deepEqual(patch, {
    metadata: { labels: { a: '2', b: '3', gone: null } },
    spec: {
      containers: [{ name: 'c', image: '1' }, { name: 'a', $patch: 'delete' }],
      '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }],
    },
  });
  assert.deepEqual(applyStrategicMergePatch(original, patch, 'Pod'), modified);
  assert.deepEqual(createTwoWayMergePatch(modified, modified, 'Pod'), {});
});

test('applying twice: the second apply has nothing to change', () => {
  const lastApplied = webDeployment(withContainers([nginx, { name: 'b', image: 'b', env: [{ name: 'X', value: '1' }] }], { replicas: 2 }), {
    finalizers: ['f1', 'f2'],
  });
  const modified = webDeployment(withContainers([{ name: 'b', image: 'b2', env: [{ name: 'Y', value: '1' }] }, nginx]), { finalizers: ['f2'] });
  const current = live(lastApplied);
  const applied = applyStrategicMergePatch(current, createThreeWayMergePatch(lastApplied, modified, current, 'Deployment'), 'Deployment');
  assert.deepEqual(createThreeWayMergePatch(modified, modified, applied, 'Deployment'), {});
});

// ---- Property test -------------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so failures reproduce. */
function randomSource(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chance = (p: number) => next() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  /** A random subset in random order. */
  const subset = <T>(items: readonly T[]): T[] =>
    items
      .filter(() => chance(0.5))
      .map((item) => ({ item, sort: next() }))
      .sort((x, y) => x.sort - y.sort)
      .map((x) => x.item);
  return { chance, pick, subset };
}
type Random = ReturnType<typeof randomSource>;

function randomMap(rng: Random, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(rng.subset(keys).map((k) => [k, rng.pick(['1', '2', '3'])]));
}

function randomContainer(rng: Random, name: string): JsonObject {
  const c: JsonObject = { name, image: rng.pick(['img:1', 'img:2']) };
  if (rng.chance(0.6)) c.env = rng.subset(['E1', 'E2', 'E3']).map((n) => ({ name: n, value: rng.pick(['a', 'b']) }));
  if (rng.chance(0.5)) c.ports = rng.subset([80, 443, 8080]).map((p) => ({ containerPort: p }));
  if (rng.chance(0.4)) c.args = rng.subset(['--a', '--b', '--c']);
  return c;
}

/** A manifest built from independently chosen parts; `base` lets parts be carried over unchanged. */
function randomManifest(rng: Random, base?: JsonObject): JsonObject {
  const keep = <T>(get: (o: any) => T, make: () => T): T => (base && rng.chance(0.6) ? structuredClone(get(base)) : make());
  const metadata: JsonObject = { name: 'web' };
  const labels = keep((o) => o.metadata.labels, () => (rng.chance(0.8) ? randomMap(rng, ['app', 'tier', 'env']) : undefined));
  if (labels) metadata.labels = labels;
  const finalizers = keep((o) => o.metadata.finalizers, () => (rng.chance(0.5) ? rng.subset(['f1', 'f2', 'f3']) : undefined));
  if (finalizers) metadata.finalizers = finalizers;
  const spec: JsonObject = {};
  const replicas = keep((o) => o.spec.replicas, () => (rng.chance(0.5) ? rng.pick([1, 2, 3]) : undefined));
  if (replicas !== undefined) spec.replicas = replicas;
  const strategy = keep(
    (o) => o.spec.strategy,
    () => (rng.chance(0.5) ? rng.pick([{ type: 'Recreate' }, { type: 'RollingUpdate' }, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }]) : undefined),
  );
  if (strategy) spec.strategy = strategy;
  const baseContainers: JsonObject[] = (base as any)?.spec.template.spec.containers ?? [];
  let containers = rng.subset(['a', 'b', 'c']).map((name) => {
    const old = baseContainers.find((c) => c.name === name);
    return old && rng.chance(0.6) ? structuredClone(old) : randomContainer(rng, name);
  });
  if (containers.length === 0) containers = [randomContainer(rng, 'a')];
  const podSpec: JsonObject = { containers };
  const tolerations = keep((o) => o.spec.template.spec.tolerations, () => (rng.chance(0.3) ? rng.subset([{ key: 't1' }, { key: 't2' }]) : undefined));
  if (tolerations) podSpec.tolerations = tolerations;
  spec.template = { spec: podSpec };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
}

/** The live object: what was applied, plus fields written by others (none in the manifests' names). */
function randomLiveObject(rng: Random, lastApplied: JsonObject): JsonObject {
  const obj: any = structuredClone(lastApplied);
  obj.status = { replicas: 3 };
  obj.spec.revisionHistoryLimit = 10;
  if (rng.chance(0.5)) obj.spec.replicas = 7;
  if (rng.chance(0.5)) obj.metadata.labels = { ...obj.metadata.labels, other: 'x' };
  if (rng.chance(0.5)) obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), 'other'];
  for (const c of obj.spec.template.spec.containers) {
    c.imagePullPolicy = 'IfNotPresent';
    if (rng.chance(0.3)) c.image = 'img:set-by-someone';
    if (rng.chance(0.3)) c.env = [...(c.env ?? []), { name: 'OTHER', value: 'x' }];
    for (const p of c.ports ?? []) p.protocol = 'TCP';
  }
  if (rng.chance(0.5)) obj.spec.template.spec.containers.splice(rng.pick([0, 1]), 0, { name: 'z', image: 'injected' });
  return obj;
}

const KIND = 'Deployment';

function listIdentity(path: string[]): (item: any) => unknown {
  const { mergeKey } = patchMetaFor(KIND, path);
  return mergeKey ? (item) => item[mergeKey] : (item) => item;
}

/** Every field of `modified` is set in `result` as in `modified`, keyed lists in the same relative order. */
function assertContains(result: unknown, modified: unknown, path: string[]): void {
  const where = path.join('.') || '<root>';
  if (isJsonObject(modified)) {
    assert.ok(isJsonObject(result), `${where}: object expected`);
    for (const [key, value] of Object.entries(modified)) assertContains(result[key], value, [...path, key]);
  } else if (Array.isArray(modified) && patchMetaFor(KIND, path).merge) {
    assert.ok(Array.isArray(result), `${where}: list expected`);
    const identity = listIdentity(path);
    const positions = modified.map((item) => result.findIndex((r) => identity(r) === identity(item)));
    positions.forEach((at, i) => {
      assert.ok(at >= 0, `${where}: item ${JSON.stringify(modified[i])} missing`);
      assertContains(result[at], modified[i], path);
    });
    assert.deepEqual([...positions].sort((x, y) => x - y), positions, `${where}: order of the manifest's items`);
  } else {
    assert.deepEqual(result, modified, where);
  }
}

/** What `lastApplied` had and `modified` dropped is gone from `result`. */
function assertRemoved(result: unknown, lastApplied: unknown, modified: unknown, path: string[]): void {
  const where = path.join('.') || '<root>';
  if (isJsonObject(lastApplied) && isJsonObject(modified) && isJsonObject(result)) {
    for (const [key, value] of Object.entries(lastApplied)) {
      if (!(key in modified)) assert.ok(!(key in result), `${where}.${key}: should be deleted`);
      else assertRemoved(result[key], value, modified[key], [...path, key]);
    }
  } else if (Array.isArray(lastApplied) && Array.isArray(modified) && Array.isArray(result) && patchMetaFor(KIND, path).merge) {
    const identity = listIdentity(path);
    for (const item of lastApplied) {
      const kept = modified.find((m) => identity(m) === identity(item));
      const inResult: unknown = result.find((r) => identity(r) === identity(item));
      if (kept === undefined) assert.equal(inResult, undefined, `${where}: ${JSON.stringify(item)} should be deleted`);
      else assertRemoved(inResult, item, kept, path);
    }
  }
}

/** Fields only others wrote (in `current`, in neither manifest) are untouched in `result`. */
function assertOthersKept(result: unknown, current: unknown, lastApplied: unknown, modified: unknown, path: string[]): void {
  const where = path.join('.') || '<root>';
  if (isJsonObject(current)) {
    const la = isJsonObject(lastApplied) ? lastApplied : {};
    const mod = isJsonObject(modified) ? modified : {};
    if (!isJsonObject(modified) && modified !== undefined) return;
    for (const [key, value] of Object.entries(current)) {
      if (!(key in la) && !(key in mod)) assert.deepEqual((result as JsonObject)[key], value, `${where}.${key}: written by others`);
      else if (key in mod || !(key in la)) assertOthersKept((result as JsonObject)[key], value, la[key], mod[key], [...path, key]);
    }
  } else if (Array.isArray(current) && patchMetaFor(KIND, path).merge && (modified === undefined || Array.isArray(modified))) {
    const identity = listIdentity(path);
    const la = Array.isArray(lastApplied) ? lastApplied : [];
    const mod = Array.isArray(modified) ? modified : [];
    for (const item of current) {
      const inLa = la.find((x) => identity(x) === identity(item));
      const inMod = mod.find((x) => identity(x) === identity(item));
      const inResult: unknown = (result as unknown[]).find((x) => identity(x) === identity(item));
      if (inLa === undefined && inMod === undefined) assert.deepEqual(inResult, item, `${where}: ${JSON.stringify(item)} written by others`);
      else if (inMod !== undefined) assertOthersKept(inResult, item, inLa, inMod, path);
    }
  }
}

test('property: the patch sets the manifest, deletes what it dropped, and keeps what others wrote', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const rng = randomSource(seed);
    const lastApplied = randomManifest(rng);
    const modified = randomManifest(rng, lastApplied);
    const current = randomLiveObject(rng, lastApplied);
    const patch = createThreeWayMergePatch(lastApplied, modified, current, KIND);
    const result = applyStrategicMergePatch(current, patch, KIND);
    const context = `seed ${seed}: ${JSON.stringify({ lastApplied, modified, current, patch })}`;
    try {
      assertContains(result, modified, []);
      assertRemoved(result, lastApplied, modified, []);
      assertOthersKept(result, current, lastApplied, modified, []);
    } catch (e) {
      (e as Error).message += `\n${context}`;
      throw e;
    }
  }
});
