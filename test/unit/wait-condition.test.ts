import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { isMet, parseWaitFor } from '../../src/cli/wait-condition.js';

test('--for parsing', () => {
  const cases: Array<[string, unknown]> = [
    ['delete', { kind: 'delete' }],
    ['Delete', { kind: 'delete' }],
    ['create', { kind: 'create' }],
    ['condition=Complete', { kind: 'condition', type: 'Complete', value: 'true' }],
    ['condition=Ready=False', { kind: 'condition', type: 'Ready', value: 'False' }],
    ["jsonpath={.status.phase}=Running", { kind: 'jsonpath', expression: '{.status.phase}', value: 'Running' }],
    ['jsonpath=.status.phase=Running', { kind: 'jsonpath', expression: '{.status.phase}', value: 'Running' }],
    ["jsonpath={.metadata.labels['a=b']}=x", { kind: 'jsonpath', expression: "{.metadata.labels['a=b']}", value: 'x' }],
    ['jsonpath={.status.loadBalancer.ingress}', { kind: 'jsonpath', expression: '{.status.loadBalancer.ingress}' }],
  ];
  for (const [spec, want] of cases) assert.deepEqual(parseWaitFor(spec), want, spec);
  for (const [spec, message] of [
    ['ready', 'unrecognized condition: "ready"'],
    ['condition=', 'unrecognized condition: "condition="'],
    ['jsonpath=', 'jsonpath expression cannot be empty'],
    ['jsonpath={.a}=', 'jsonpath wait value cannot be empty'],
  ]) assert.throws(() => parseWaitFor(spec), { message }, spec);
});

test('whether an object meets the condition', () => {
  const obj = (status: object, generation = 1): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', generation }, status } as KubeObject);
  const complete = obj({ conditions: [{ type: 'Complete', status: 'True' }], succeeded: 1, phase: 'Running', list: [1, 2], map: { a: 1 } });
  const cases: Array<[string, KubeObject, boolean]> = [
    ['condition=complete', complete, true],
    ['condition=Complete=true', complete, true],
    ['condition=Complete=False', complete, false],
    ['condition=Failed', complete, false],
    ['condition=Ready', obj({ conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1 }] }, 2), false],
    ['jsonpath={.status.succeeded}=1', complete, true],
    ['jsonpath={.status.phase}=Running', complete, true],
    ['jsonpath={.status.phase}=Pending', complete, false],
    ['jsonpath={.status.missing}=x', complete, false],
    ['jsonpath={.status.phase}', complete, true],
    ['create', complete, true],
  ];
  for (const [spec, o, want] of cases) assert.equal(isMet(parseWaitFor(spec), o), want, spec);
  assert.throws(() => isMet(parseWaitFor('jsonpath={.status.map}=x'), complete), { message: 'jsonpath leads to a nested object or list which is not supported' });
  assert.throws(() => isMet(parseWaitFor('jsonpath={.status.list[*]}=x'), complete), { message: 'given jsonpath expression matches more than one value' });
});
