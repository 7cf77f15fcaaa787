// set env's arguments and env updates, set resources' lists, the -c container glob.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourceList } from '../../src/cli/commands/set/resources.js';
import { selectContainers } from '../../src/cli/commands/set/pod-spec-command.js';
import { envFromData, keyToEnvName, listContainerEnv, overwriteConflict, parseEnv, splitEnvArgs, updateEnv } from '../../src/cli/set-env-vars.js';

test('set env: KEY=VALUE sets, KEY- removes, the rest names objects; invalid names refused', () => {
  assert.deepEqual(splitEnvArgs(['deploy/web', 'A=1=2', 'B-', 'deployment', 'x']), { resources: ['deploy/web', 'deployment', 'x'], envArgs: ['A=1=2', 'B-'] });
  assert.deepEqual(parseEnv(['A=1=2', 'B-']), { env: [{ name: 'A', value: '1=2' }], remove: ['B'] });
  assert.throws(() => parseEnv(['1BAD=x']), /"1BAD" is not a valid key name: a valid environment variable name/);
});

test('set env: replaced in place, removed, added at the end; --overwrite=false refuses a different value', () => {
  const existing = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }];
  assert.deepEqual(updateEnv(existing, [{ name: 'D', value: '4' }, { name: 'B', value: 'x' }], ['C']), [
    { name: 'A', value: '1' },
    { name: 'B', value: 'x' },
    { name: 'D', value: '4' },
  ]);
  assert.equal(overwriteConflict(existing, [{ name: 'A', value: '5' }]), "'A' already has a value (1), and --overwrite is false");
  assert.equal(overwriteConflict(existing, [{ name: 'A', value: '1' }]), undefined);
});

test('set env --from: one reference per key, names upper-cased with the prefix; --list text', () => {
  assert.equal(keyToEnvName('db-pass.v1'), 'DB_PASS_V1');
  assert.deepEqual(envFromData('Secret', 'creds', ['user', 'db-pass'], 'APP_'), [
    { name: 'APP_DB_PASS', valueFrom: { secretKeyRef: { key: 'db-pass', name: 'creds' } } },
    { name: 'APP_USER', valueFrom: { secretKeyRef: { key: 'user', name: 'creds' } } },
  ]);
  assert.equal(
    listContainerEnv('Deployment', 'web', {
      name: 'nginx',
      env: [
        { name: 'A', value: '1' },
        { name: 'S', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } },
        { name: 'R', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', containerName: 'nginx' } } },
      ],
    }),
    '# Deployment web, container nginx\nA=1\n# S from secret sec, key k\n# R from resource field nginx/limits.cpu\n',
  );
});

test('set resources: canonical quantities and kubectl errors; -c globs', () => {
  assert.deepEqual(parseResourceList('cpu=0.2,memory=512Mi'), { cpu: '200m', memory: '512Mi' });
  assert.throws(() => parseResourceList('cpu'), /Invalid argument syntax cpu, expected <resource>=<value>/);
  assert.throws(() => parseResourceList('cpu=lots'), /quantities must match the regular expression/);
  const containers = [{ name: 'web' }, { name: 'web-side' }, { name: 'db' }];
  assert.deepEqual(selectContainers(containers, 'web*').map((c) => c.name), ['web', 'web-side']);
  assert.deepEqual(selectContainers(containers, '*').length, 3);
  assert.deepEqual(selectContainers(containers, 'd?'), [{ name: 'db' }]);
});
