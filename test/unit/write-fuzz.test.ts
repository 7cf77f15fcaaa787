// A seeded fuzz test of every write path of every kind: mutated bodies (wrong types, nulls, numbers
// out of range, bad quantities, unknown and deep fields) sent as create, update, the three patch
// types, /status and /scale. Whatever is sent: no 5xx (nothing but an ApiError below 500 is
// thrown), nothing stored when refused, and what is stored still passes validation.
// KCTL_FUZZ_SEED picks another seed; KCTL_FUZZ_MS how long each kind is fuzzed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES, type ResourceType } from '../../src/api/resources.js';
import { ApiError } from '../../src/api/errors.js';
import type { PatchType } from '../../src/api/client.js';
import type { Registry } from '../../src/apiserver/registry/registry.js';
import { patchScale, updateScale } from '../../src/apiserver/registry/scale.js';
import { validateSchema } from '../../src/apiserver/registry/schema-validator.js';
import { validateObjectMetaNames } from '../../src/apiserver/registry/names.js';
import { strategyFor } from '../../src/apiserver/registry/strategies/index.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { KIND_FIXTURES, prepareKindFixtures } from '../helpers/kind-fixtures.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { refusal } from '../helpers/refusal.js';

const SEED = Number(process.env.KCTL_FUZZ_SEED ?? 20261207);
const MS_PER_KIND = Number(process.env.KCTL_FUZZ_MS ?? 400);

function deep(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

const JUNK: unknown[] = [
  null, -1, 0, 1, 1.5, 2147483648, -2147483649, 1e99, 9007199254740993, true, '', 'x', '-1', '-100m', '1m1', '1.5.5', '1e',
  'Invalid_Name!', 'a'.repeat(300), '../etc', {}, [], [null], { a: null }, { '': 'x' }, { a: { b: [1, { c: null }] } }, ['x', 3],
  JSON.parse('{"__proto__": {"polluted": 1}}'), { constructor: 'x' }, deep(1100), deep(30),
];

class Fuzzer {
  constructor(readonly rand: () => number) {}

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)];
  }

  /** Every object or array inside value, with the path to it. */
  containers(value: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; node: any }[] = []) {
    if (value !== null && typeof value === 'object' && path.length < 12) {
      out.push({ path, node: value });
      for (const [k, v] of Object.entries(value)) this.containers(v, [...path, Array.isArray(value) ? Number(k) : k], out);
    }
    return out;
  }

  /** One to three changes somewhere in obj: a value replaced by junk, a field removed or added. */
  mutate(obj: any): any {
    const copy = structuredClone(obj);
    const times = 1 + Math.floor(this.rand() * 3);
    for (let i = 0; i < times; i++) {
      const { node } = this.pick(this.containers(copy));
      const keys = Object.keys(node);
      const action = this.rand();
      const junk = structuredClone(this.pick(JUNK));
      if (keys.length && action < 0.6) node[this.pick(keys)] = junk;
      else if (keys.length && action < 0.75) delete node[this.pick(keys)];
      else if (Array.isArray(node)) node.push(junk);
      else node[this.pick(['extra', 'replicas', 'labels', 'requests', 'name', 'status', 'spec', 'data', 'x-y'])] = junk;
    }
    return copy;
  }

  jsonPatch(obj: any): unknown[] {
    const paths = this.containers(obj).map((c) => c.path);
    const pointer = () => {
      const path = [...this.pick(paths)];
      const node = path.reduce((o: any, k) => o?.[k], obj);
      const keys = node && typeof node === 'object' ? Object.keys(node) : [];
      const last = this.rand() < 0.7 && keys.length ? this.pick(keys) : this.pick(['-', '99', 'new', '~1x', '']);
      return `/${[...path, last].map((k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    };
    const ops = [];
    for (let i = 0, n = 1 + Math.floor(this.rand() * 3); i < n; i++) {
      const op = this.pick(['add', 'replace', 'remove', 'test', 'move', 'copy', 'bogus']);
      ops.push({ op, path: this.rand() < 0.1 ? this.pick(['', 'nope', 5]) : pointer(), value: structuredClone(this.pick(JUNK)), from: pointer() });
    }
    return this.rand() < 0.05 ? (this.pick(JUNK) as unknown[]) : ops;
  }
}

type Outcome = { ok: true; written: boolean } | { ok: false };

function expectFine(reg: Registry, label: string, write: () => unknown): Outcome {
  const before = reg.store.currentRevision;
  try {
    write();
    return { ok: true, written: reg.store.currentRevision !== before };
  } catch (err) {
    if (!(err instanceof ApiError)) assert.fail(`${label}: threw ${(err as Error)?.stack ?? err}`);
    assert.ok(err.code >= 400 && err.code < 500, `${label}: answered ${err.code} ${err.message}`);
    assert.equal(reg.store.currentRevision, before, `${label}: refused (${err.message}) but the store changed`);
    return { ok: false };
  }
}

/** What is stored must be what validation would accept now. */
function assertStoredValid(reg: Registry, r: ResourceType, ns: string | undefined, name: string, label: string): void {
  const stored = reg.tryGet(r, ns, name);
  if (!stored) return;
  const causes = [...validateSchema(r, stored), ...validateObjectMetaNames(r, stored), ...strategyFor(r).validate(stored)];
  assert.deepEqual(causes, [], `${label}: an invalid object was stored: ${JSON.stringify(stored)}`);
}

const PATCH_TYPES: PatchType[] = ['merge', 'json', 'strategic'];

before(prepareKindFixtures);

for (const r of RESOURCES) {
  test(`fuzzed writes of ${r.kind}: never a 5xx, nothing stored when refused, nothing invalid stored`, () => {
    const { registry: reg, done } = inProcessRegistry();
    const fuzz = new Fuzzer(seededRandom(SEED + r.kind.length * 7919 + r.kind.charCodeAt(0)));
    const ns = r.namespaced ? 'default' : undefined;
    try {
      assert.ok(KIND_FIXTURES[r.kind], `no valid ${r.kind} to start from: add one to test/helpers/kind-fixtures.ts`);
      const base = KIND_FIXTURES[r.kind]();
      const name = base.metadata.name!;
      reg.create(r, ns, base);
      const deadline = Date.now() + MS_PER_KIND;
      let n = 0;
      for (; Date.now() < deadline || n < 60; n++) {
        const current = reg.get(r, ns, name);
        const verb = fuzz.pick(['create', 'update', 'patch', 'status', 'scale'] as const);
        const label = `${r.kind} ${verb} #${n} (seed ${SEED})`;
        if (verb === 'create') {
          const body = fuzz.mutate(KIND_FIXTURES[r.kind]());
          if (body?.metadata && typeof body.metadata === 'object' && typeof body.metadata.name === 'string') body.metadata.name = `${body.metadata.name}-${n}`;
          const result = expectFine(reg, label, () => reg.create(r, ns, body));
          if (result.ok && typeof body?.metadata?.name === 'string') assertStoredValid(reg, r, ns, body.metadata.name, label);
          continue;
        }
        const subresource = verb === 'status' ? 'status' : undefined;
        if (verb === 'scale' && !r.subresources.includes('scale')) continue;
        if (verb === 'status' && !r.subresources.includes('status')) continue;
        const type = fuzz.pick(PATCH_TYPES);
        const asPatch = verb === 'patch' || fuzz.rand() < 0.5;
        if (verb === 'scale') {
          const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name }, spec: { replicas: 3 } };
          expectFine(reg, label, () =>
            asPatch ? patchScale(reg, r, ns, name, type, type === 'json' ? fuzz.jsonPatch(scale) : fuzz.mutate(scale), {}) : updateScale(reg, r, ns, name, fuzz.mutate(scale), {}),
          );
        } else if (asPatch) {
          const patch = type === 'json' ? fuzz.jsonPatch(current) : fuzz.mutate(current);
          expectFine(reg, `${label} ${type}`, () => reg.patch(r, ns, name, type, patch, { subresource }));
        } else {
          const body = fuzz.mutate(current);
          expectFine(reg, label, () => reg.update(r, ns, name, body, { subresource }));
        }
        assertStoredValid(reg, r, ns, name, label);
      }
      assert.ok(n >= 60);
    } finally {
      done();
    }
  });
}

// The inputs the issue names, each refused with Kubernetes' wording or taken as Go decodes them.
const DEPLOYMENTS = RESOURCES.find((x) => x.kind === 'Deployment')!;
const JOBS = RESOURCES.find((x) => x.kind === 'Job')!;
const PODS = RESOURCES.find((x) => x.kind === 'Pod')!;
const SECRETS = RESOURCES.find((x) => x.kind === 'Secret')!;

test('named bad inputs: each a 4xx worded as Kubernetes words it, or decoded as Go decodes it', () => {
  const { registry: reg, done } = inProcessRegistry();
  try {
    // null map values are Go's zero value, as Kubernetes' decoder makes them.
    const labelled = reg.create(PODS, 'default', { metadata: { name: 'p', labels: { a: null as unknown as string } }, spec: KIND_FIXTURES.Pod().spec });
    assert.deepEqual(labelled.metadata.labels, { a: '' });
    const secret = reg.create(SECRETS, 'default', { metadata: { name: 's' }, data: { a: null } });
    assert.deepEqual(secret.data, { a: '' });

    const noName = refusal(() => reg.create(JOBS, 'default', { ...KIND_FIXTURES.Job(), metadata: {} }));
    assert.equal(noName.code, 422);
    assert.equal(noName.message, 'Job.batch "" is invalid: metadata.name: Required value: name or generateName is required');

    const deepBody = refusal(() => reg.create(PODS, 'default', { metadata: { name: 'd' }, spec: deep(3000) as any }));
    assert.equal(deepBody.code, 400);

    const overflow = refusal(() => reg.create(DEPLOYMENTS, 'default', { ...KIND_FIXTURES.Deployment(), spec: { ...KIND_FIXTURES.Deployment().spec, replicas: 2147483648 } }));
    assert.equal(overflow.code, 400);
    assert.equal(
      overflow.message,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const backoff = refusal(() => reg.create(JOBS, 'default', { ...KIND_FIXTURES.Job(), spec: { ...KIND_FIXTURES.Job().spec, backoffLimit: 2147483648 } }));
    assert.match(backoff.message, /Go struct field JobSpec\.spec\.backoffLimit of type int32$/);

    reg.create(DEPLOYMENTS, 'default', KIND_FIXTURES.Deployment());
    const scaleOverflow = refusal(() => updateScale(reg, DEPLOYMENTS, 'default', 'web', { metadata: { name: 'web' }, spec: { replicas: 2147483648 } }, {}));
    assert.equal(scaleOverflow.code, 400);
    assert.equal(scaleOverflow.message, 'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal number 2147483648 into Go struct field ScaleSpec.spec.replicas of type int32');
    const scaleNegative = refusal(() => patchScale(reg, DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: -1 } }, {}));
    assert.equal(scaleNegative.message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(reg.get(DEPLOYMENTS, 'default', 'web').spec.replicas, 2);
  } finally {
    done();
  }
});

for (const [value, message] of [
  ['-1', 'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0'],
  ['-100m', 'spec.containers[0].resources.requests[cpu]: Invalid value: "-100m": must be greater than or equal to 0'],
] as const) {
  test(`a negative request (${value}) is Invalid`, () => {
    const { registry: reg, done } = inProcessRegistry();
    try {
      const pod = KIND_FIXTURES.Pod();
      pod.spec.containers[0].resources = { requests: { cpu: value } };
      const err = refusal(() => reg.create(PODS, 'default', pod));
      assert.equal(err.code, 422);
      assert.equal(err.message, `Pod "web" is invalid: ${message}`);
    } finally {
      done();
    }
  });
}

for (const value of ['1m1', '1.5.5', '1e']) {
  test(`a quantity Kubernetes cannot parse (${value}) is a 400`, () => {
    const { registry: reg, done } = inProcessRegistry();
    try {
      const pod = KIND_FIXTURES.Pod();
      pod.spec.containers[0].resources = { limits: { memory: value } };
      const err = refusal(() => reg.create(PODS, 'default', pod));
      assert.equal(err.code, 400);
      assert.match(err.message, /^Pod in version "v1" cannot be handled as a Pod: (quantities must match the regular expression|unable to parse quantity's suffix)/);
      assert.equal(reg.tryGet(PODS, 'default', 'web'), undefined);
    } finally {
      done();
    }
  });
}
