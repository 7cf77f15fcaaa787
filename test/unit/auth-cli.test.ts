import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rulesTable } from '../../src/cli/commands/auth/can-i.js';
import { whoamiRows } from '../../src/cli/commands/auth/whoami.js';

test('can-i --list: rules broken down, verbs merged per resource, sorted and printed as kubectl 1.32 does', () => {
  const table = rulesTable([
    { verbs: ['get'], apiGroups: ['apps', ''], resources: ['deployments', 'pods/log'] },
    { verbs: ['list'], apiGroups: ['apps'], resources: ['deployments'] },
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a', 'b'] },
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/api/*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ]);
  // What kubectl 1.32 printed for the same rules (checked against it on a cluster of this server).
  assert.equal(
    table,
    [
      'Resources                                       Non-Resource URLs   Resource Names   Verbs',
      '*.*                                             []                  []               [*]',
      '                                                [*]                 []               [*]',
      'selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]',
      'selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]',
      'deployments.apps                                []                  []               [get list]',
      '                                                [/api/*]            []               [get]',
      '                                                [/healthz]          []               [get]',
      'configmaps                                      []                  [a]              [get]',
      'configmaps                                      []                  [b]              [get]',
      'deployments                                     []                  []               [get]',
      'pods/log                                        []                  []               [get]',
      'pods.apps/log                                   []                  []               [get]',
      '',
    ].join('\n'),
  );
  assert.equal(rulesTable([], true), '');
});

test('whoami: Username, UID, Groups, then Extra per key in order', () => {
  assert.deepEqual(whoamiRows({ username: 'jane', uid: 'u1', groups: ['devs', 'system:authenticated'], extra: { zone: ['b'], team: ['x', 'y'] } }), [
    ['ATTRIBUTE', 'VALUE'],
    ['Username', 'jane'],
    ['UID', 'u1'],
    ['Groups', '[devs system:authenticated]'],
    ['Extra: team', '[x y]'],
    ['Extra: zone', '[b]'],
  ]);
});
