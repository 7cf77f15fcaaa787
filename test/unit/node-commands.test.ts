import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { applyTaintChanges, parseTaintChanges, splitTaintArgs } from '../../src/cli/taint-spec.js';
import { ANNOTATION, LABEL, applyMetadataChanges, metadataPatch, splitPairArgs } from '../../src/cli/metadata-pairs.js';
import { planDrain } from '../../src/cli/drain-filters.js';
import type { KubeObject } from '../../src/api/types.js';

function throws(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
}

test('taint arguments: resources first, then changes, with kubectl messages', () => {
  assert.deepEqual(splitTaintArgs(['nodes', 'node-1', 'k=v:NoSchedule', 'k2-']), { resources: ['nodes', 'node-1'], changes: ['k=v:NoSchedule', 'k2-'] });
  const cases: Array<[string[], string]> = [
    [['nodes', 'node-1'], 'at least one taint update is required'],
    [['k=v:NoSchedule'], 'one or more resources must be specified as <resource> <name>'],
    [['nodes', 'k=v:NoSchedule', 'node-1'], 'all resources must be specified before taint changes: node-1'],
  ];
  for (const [args, msg] of cases) assert.equal(throws(() => splitTaintArgs(args)), msg);
  const specErrors: Array<[string[], string]> = [
    [['k=v:Sometimes'], 'invalid taint effect: Sometimes, unsupported taint effect'],
    [['k'], 'invalid taint spec: k'],
    [['a:b:c'], 'invalid taint spec: a:b:c'],
    [['k=v:NoSchedule', 'k=w:NoSchedule'], 'duplicated taints with the same key and effect: {k w NoSchedule <nil>}'],
    [['k=v:NoSchedule', 'k-'], 'can not both modify and remove the following taint(s) in the same command: {"k":""}'],
    [['bad key:NoSchedule'], "invalid taint spec: bad key:NoSchedule, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
  ];
  for (const [specs, msg] of specErrors) assert.equal(throws(() => parseTaintChanges(specs)), msg, specs.join(' '));
});

test('taint changes: tainted, untainted, modified, and the errors for existing and missing taints', () => {
  const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const other: Taint = { key: 'zone', effect: 'NoExecute' };
  const apply = (current: Taint[], specs: string[], overwrite = false) => applyTaintChanges('node-1', current, parseTaintChanges(specs), overwrite);
  assert.deepEqual(apply([other], ['dedicated=gpu:NoSchedule']), { taints: [gpu, other], operation: 'tainted' });
  assert.deepEqual(apply([gpu, other], ['dedicated:NoSchedule-']), { taints: [other], operation: 'untainted' });
  assert.deepEqual(apply([gpu, other], ['dedicated-']), { taints: [other], operation: 'untainted' });
  assert.deepEqual(apply([gpu], ['dedicated=cpu:NoSchedule'], true), { taints: [{ ...gpu, value: 'cpu' }], operation: 'modified' });
  assert.deepEqual(apply([gpu], ['zone:NoExecute', 'dedicated-']), { taints: [other], operation: 'modified' });
  assert.equal(throws(() => apply([gpu], ['dedicated=cpu:NoSchedule'])), 'node node-1 already has dedicated taint(s) with same effect(s) and --overwrite is false');
  assert.equal(throws(() => apply([gpu], ['dedicated:NoExecute-'])), 'taint "dedicated:NoExecute" not found');
});

test('label and annotate arguments and changes, as kubectl words them', () => {
  assert.deepEqual(splitPairArgs(['pods', 'web', 'a=1', 'b-'], 'label'), { resources: ['pods', 'web'], pairs: ['a=1', 'b-'] });
  assert.equal(throws(() => splitPairArgs(['pods', 'a=1', 'web'], 'label')), 'all resources must be specified before label changes: web');
  const cases: Array<[() => unknown, string]> = [
    [() => LABEL.parse(['a=b=c']), 'invalid label spec: a=b=c'],
    [() => LABEL.parse(['a=-x-']), 'invalid label value: "a=-x-": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
    [() => LABEL.parse(['a=1', 'a-']), 'can not both modify and remove a label in the same command'],
    [() => ANNOTATION.parse(['=x']), 'invalid annotation format: =x'],
    [() => ANNOTATION.parse(['a=1', 'a-']), 'can not both modify and remove the following annotation(s) in the same command: a'],
    [() => applyMetadataChanges(LABEL, { k: 'v' }, LABEL.parse(['k=v']), false), "'k' already has a value (v), and --overwrite is false"],
    [() => applyMetadataChanges(ANNOTATION, { k: 'v' }, ANNOTATION.parse(['k=w']), false), "--overwrite is false but found the following declared annotation(s): 'k' already has a value (v)"],
  ];
  for (const [fn, msg] of cases) assert.equal(throws(fn), msg);
  assert.deepEqual(ANNOTATION.parse(['url=http://x/?a=b']).set, { url: 'http://x/?a=b' }, 'an annotation value may hold =');
  assert.deepEqual(applyMetadataChanges(ANNOTATION, { k: 'v' }, ANNOTATION.parse(['k=v']), false), { k: 'v' }, 'the same annotation value needs no --overwrite');

  const outcomes: Array<[Record<string, string>, string[], boolean, string]> = [
    [{}, ['a=1'], false, 'labeled'],
    [{ a: '1', b: '2' }, ['b-'], false, 'unlabeled'],
    [{ a: '1' }, ['b-'], false, 'not labeled'],
    [{ a: '1' }, ['a=2'], true, 'labeled'],
    [{ a: '1', b: '2' }, ['b-'], true, 'labeled'],
  ];
  for (const [before, specs, overwrite, expected] of outcomes) {
    const after = applyMetadataChanges(LABEL, before, LABEL.parse(specs), overwrite);
    assert.equal(LABEL.outcome(before, after, overwrite), expected, `${JSON.stringify(before)} ${specs}`);
  }
  assert.deepEqual(metadataPatch('labels', { a: '1', b: '2', c: '3' }, { a: '1', b: '9', d: '4' }), { metadata: { labels: { c: null, b: '9', d: '4' } } });
});

test('drain filters: kubectl order, warnings and grouped errors', () => {
  const pod = (name: string, extra: { owner?: string; emptyDir?: boolean; phase?: string; mirror?: boolean } = {}): KubeObject => ({
    metadata: {
      name,
      namespace: 'default',
      ...(extra.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: extra.owner, name: 'o', uid: 'u', controller: true }] } : {}),
      ...(extra.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'x' } } : {}),
    },
    spec: { containers: [], ...(extra.emptyDir ? { volumes: [{ name: 'tmp', emptyDir: {} }] } : {}) },
    status: { phase: extra.phase ?? 'Running' },
  });
  const pods = [pod('rs', { owner: 'ReplicaSet' }), pod('bare'), pod('bare2'), pod('ds', { owner: 'DaemonSet' }), pod('scratch', { owner: 'ReplicaSet', emptyDir: true }), pod('done', { phase: 'Succeeded' }), pod('static', { mirror: true })];
  const none = planDrain(pods, { force: false, ignoreDaemonSets: false, deleteEmptyDirData: false });
  assert.deepEqual(none.errors, [
    'cannot delete Pods that declare no controller (use --force to override): default/bare, default/bare2',
    'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ds',
    'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch',
  ]);
  const all = planDrain(pods, { force: true, ignoreDaemonSets: true, deleteEmptyDirData: true });
  assert.deepEqual(all.errors, []);
  assert.deepEqual(all.evict.map((p) => p.metadata.name), ['rs', 'bare', 'bare2', 'scratch', 'done']);
  assert.deepEqual(all.warnings, [
    'deleting Pods that declare no controller: default/bare, default/bare2',
    'ignoring DaemonSet-managed Pods: default/ds',
    'deleting Pods with local storage: default/scratch',
  ]);
});
