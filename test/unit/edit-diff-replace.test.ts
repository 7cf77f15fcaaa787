// The pure parts of kctl edit (the header kubectl writes, reasons, comment stripping, the editor
// command), diff (file names, Secret masking, the diff command) and replace (the annotation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/errors.js';
import { replacementOf } from '../../src/cli/commands/replace.js';
import { diffCommand, diffFileName, maskSecrets } from '../../src/cli/diff-objects.js';
import { EDIT_HEADER, editHeader, editorArgv, reasonFor, saveErrorLine, stripComments } from '../../src/cli/edit-buffer.js';

test("edit: kubectl's header, with the reasons of a failed save", () => {
  assert.equal(editHeader([]), EDIT_HEADER);
  const invalid = new ApiError('Invalid', 'Deployment.apps "web" is invalid', {
    causes: [{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0', reason: 'FieldValueInvalid' }],
  } as any);
  assert.equal(
    editHeader([reasonFor('deployments.apps "web"', invalid), { head: 'The edited file had a syntax error: bad\nthing', other: [] }]),
    EDIT_HEADER +
      '# deployments.apps "web" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n' +
      '# The edited file had a syntax error: bad\n# thing\n#\n',
  );
  assert.deepEqual(reasonFor('x', new ApiError('Conflict', 'the object has been modified')), { head: 'the object has been modified', other: [] });
  assert.equal(saveErrorLine('deployments.apps "web"', invalid), 'error: deployments.apps "web" is invalid');
  assert.equal(saveErrorLine('configmaps "c"', new ApiError('NotFound', 'gone')), 'error: configmaps "c" could not be found on the server');
  assert.equal(stripComments('# a\nb: 1\n  # c\nd: "#x"\n'), 'b: 1\nd: "#x"\n');
});

test('edit: KUBE_EDITOR, then EDITOR, then vi; an editor with arguments runs through the shell', () => {
  assert.deepEqual(editorArgv({}, '/tmp/f.yaml'), ['vi', '/tmp/f.yaml']);
  assert.deepEqual(editorArgv({ EDITOR: 'nano', KUBE_EDITOR: 'code' }, '/f'), ['code', '/f']);
  assert.deepEqual(editorArgv({ EDITOR: 'code --wait', SHELL: '/bin/bash' }, '/f'), ['/bin/bash', '-c', 'code --wait "/f"']);
});

test('diff: kubectl file names, masked Secret values, the diff program', () => {
  assert.equal(diffFileName('apps/v1', 'Deployment', 'default', 'web'), 'apps.v1.Deployment.default.web');
  assert.equal(diffFileName('v1', 'Namespace', undefined, 'x'), 'v1.Namespace..x');
  const live = { kind: 'Secret', metadata: { name: 's', managedFields: [{}] }, data: { same: 'YQ==', changed: 'Yg==', gone: 'Yw==' } };
  const merged = { kind: 'Secret', metadata: { name: 's' }, data: { same: 'YQ==', changed: 'ZA==', added: 'ZQ==' } };
  const [a, b] = maskSecrets(live, merged);
  assert.deepEqual(a!.data, { same: '***', changed: '*** (before)', gone: '*** (before)' });
  assert.deepEqual(b!.data, { same: '***', changed: '*** (after)', added: '*** (after)' });
  assert.equal(a!.metadata.managedFields, undefined);
  assert.equal(live.data.same, 'YQ==', 'the inputs are left alone');
  assert.deepEqual(maskSecrets(undefined, { kind: 'ConfigMap', metadata: {}, data: { k: 'v' } })[1]!.data, { k: 'v' });
  assert.deepEqual(diffCommand('/L', '/M', {}), ['diff', '-u', '-N', '/L', '/M']);
  assert.deepEqual(diffCommand('/L', '/M', { KUBECTL_EXTERNAL_DIFF: 'colordiff -N --color=always $(rm) x' }), ['colordiff', '/L', '/M', '-N', '--color=always', 'x']);
});

test('replace: --save-config adds the annotation; an annotation in the file is refreshed', () => {
  const plain = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
  assert.equal(replacementOf(plain, false), plain);
  const saved = replacementOf(plain, true);
  assert.equal(saved.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'], '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}\n');
  const stale = { ...plain, metadata: { name: 'c', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'old' } } };
  assert.match(replacementOf(stale, false).metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'], /"data":\{"a":"1"\}/);
});
