import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseLabels, parseTaints } from '../../src/nodeagent/node-flags.js';

test('--labels: k=v pairs, empty values allowed, the last of a key wins', () => {
  const cases: [string, Record<string, string>][] = [
    ['', {}],
    ['disk=ssd', { disk: 'ssd' }],
    ['disk=ssd, zone=a ,', { disk: 'ssd', zone: 'a' }],
    ['node-role.kubernetes.io/worker=', { 'node-role.kubernetes.io/worker': '' }],
    ['a=1,a=2', { a: '2' }],
    ['url=a=b', { url: 'a=b' }],
  ];
  for (const [spec, want] of cases) assert.deepEqual(parseLabels(spec), want, spec);
});

test('--labels: an item without key=value is refused', () => {
  for (const spec of ['disk', '=ssd', 'a=1,b']) assert.throws(() => parseLabels(spec), FlagError, spec);
});

test('--taints: key=value:Effect and key:Effect, as --register-with-taints', () => {
  assert.deepEqual(parseTaints('dedicated=gpu:NoSchedule,maintenance:NoExecute, spot=true:PreferNoSchedule'), [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'maintenance', effect: 'NoExecute' },
    { key: 'spot', value: 'true', effect: 'PreferNoSchedule' },
  ]);
  assert.deepEqual(parseTaints('k=:NoSchedule'), [{ key: 'k', effect: 'NoSchedule' }], 'an empty value is no value');
  assert.deepEqual(parseTaints('example.com/k=v:NoSchedule,example.com/k=v:NoExecute').map((t) => t.effect), ['NoSchedule', 'NoExecute']);
});

test('--taints: bad effects, missing keys and duplicates are refused with a message', () => {
  const cases: [string, RegExp][] = [
    ['k=v', /expected key=value:Effect/],
    ['k=v:Sometimes', /invalid taint effect "Sometimes".*NoSchedule, PreferNoSchedule, NoExecute/],
    ['=v:NoSchedule', /the key is empty/],
    ['k=a:NoSchedule,k=b:NoSchedule', /duplicate taint "k:NoSchedule"/],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseTaints(spec), message, spec);
});
