// kctl kustomize: a base and an overlay built as kubectl 1.32's kustomize builds them (expected
// text from `kubectl kustomize`), the hash kustomize gives generated objects, refused fields.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../src/cli/errors.js';
import { kustomizeBuild, kustomizeHash } from '../../src/cli/kustomize/build.js';
import { toYaml } from '../../src/api/printers/yaml-json.js';

const root = mkdtempSync(join(tmpdir(), 'kctl-kustomize-'));
after(() => rmSync(root, { recursive: true, force: true }));
function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

write('base/kustomization.yaml', 'resources:\n- app.yaml\nconfigMapGenerator:\n- name: app-config\n  literals:\n  - MODE=prod\nsecretGenerator:\n- name: creds\n  literals:\n  - password="s3cret"\ncommonLabels:\n  app: web\n');
write(
  'base/app.yaml',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      tier: front\n  template:\n    metadata:\n      labels:\n        tier: front\n    spec:\n' +
    '      serviceAccountName: robot\n      containers:\n      - name: nginx\n        image: nginx:1.25\n        envFrom:\n        - configMapRef:\n            name: app-config\n' +
    '        env:\n        - name: PW\n          valueFrom:\n            secretKeyRef:\n              name: creds\n              key: password\n---\n' +
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    tier: front\n  ports:\n  - port: 80\n',
);
write(
  'overlay/kustomization.yaml',
  'resources:\n- ../base\nnamePrefix: dev-\nnamespace: dev\ncommonAnnotations:\n  owner: me\nimages:\n- name: nginx\n  newTag: "1.27"\nreplicas:\n- name: dev-web\n  count: 3\n' +
    'patches:\n- target:\n    kind: Service\n  patch: |-\n    - op: replace\n      path: /spec/ports/0/port\n      value: 8080\n',
);

test('an overlay over a base: prefix, namespace, labels in selectors and templates, annotations, hashed generators followed by their references', () => {
  const { objects, warnings } = kustomizeBuild(join(root, 'overlay'));
  assert.deepEqual(warnings, ["# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically."]);
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    ['ServiceAccount/dev-robot', 'ConfigMap/dev-app-config-2h42td9ggm', 'Secret/dev-creds-bf5fk5d75b', 'Service/dev-web', 'Deployment/dev-web'],
  );
  const deploy = objects[4];
  assert.equal(
    toYaml(deploy),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    owner: me\n  labels:\n    app: web\n  name: dev-web\n  namespace: dev\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n      tier: front\n' +
      '  template:\n    metadata:\n      annotations:\n        owner: me\n      labels:\n        app: web\n        tier: front\n    spec:\n      containers:\n      - env:\n        - name: PW\n          valueFrom:\n            secretKeyRef:\n              key: password\n              name: dev-creds-bf5fk5d75b\n' +
      '        envFrom:\n        - configMapRef:\n            name: dev-app-config-2h42td9ggm\n        image: nginx:1.27\n        name: nginx\n      serviceAccountName: dev-robot\n',
  );
  assert.deepEqual(objects[3].spec, { selector: { tier: 'front', app: 'web' }, ports: [{ port: 8080 }] });
  assert.deepEqual(objects[2].data, { password: 'czNjcmV0' }, 'quotes around a literal are dropped');
});

test("kustomize's hash ignores the name, so a prefix keeps it", () => {
  assert.equal(kustomizeHash({ kind: 'ConfigMap', metadata: { name: 'x' }, data: { MODE: 'prod' } }), '2h42td9ggm');
  assert.equal(kustomizeHash({ kind: 'ConfigMap', metadata: { name: 'y' }, data: { MODE: 'prod' } }), '2h42td9ggm');
});

test('unsupported fields, a missing kustomization and a patch without target are refused by name', () => {
  write('bad/kustomization.yaml', 'resources: []\ncomponents:\n- x\n');
  assert.throws(() => kustomizeBuild(join(root, 'bad')), (e: unknown) => e instanceof CliError && /kustomization field "components" not supported by kctl/.test(e.message));
  assert.throws(() => kustomizeBuild(join(root, 'base', '..')), /unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory/);
  write('nomatch/kustomization.yaml', 'resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: other\n');
  assert.throws(() => kustomizeBuild(join(root, 'nomatch')), /failed to find unique target for patch Deployment\/other/);
});
