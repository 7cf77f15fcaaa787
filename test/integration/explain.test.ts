// kctl explain against a control plane's OpenAPI v3 documents: the same text as the real kubectl's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';

describe('explain', { skip: !kubectlAvailable() && 'kubectl is not installed' }, () => {
  const c = new TestCluster();
  before(async () => {
    await c.up([]);
  });
  after(async () => {
    await c.down();
  });

  test('kinds, fields, --recursive and errors print what kubectl explain prints', async () => {
    const cases = [
      ['pod'],
      ['pod.spec.containers'],
      ['pods.spec.containers.ports'],
      ['deployments.apps.spec.template.spec.containers.resources'],
      ['deploy', '--recursive'],
      ['svc.spec.ports.targetPort'],
      ['cronjob.spec', '--recursive'],
      ['ingress.spec.rules'],
      ['pod.spec.containers.imagePullPolicy'],
      ['pod.spec.nope'],
      ['frobs'],
      ['deploy', '--api-version=apps/v1'],
    ];
    for (const args of cases) {
      const [ours, theirs] = await Promise.all([c.kctl(['explain', ...args]), c.kubectl(['explain', ...args])]);
      assert.equal(ours.stdout, theirs.stdout, args.join(' '));
      assert.equal(ours.stderr, theirs.stderr, args.join(' '));
      assert.equal(ours.code, theirs.code, args.join(' '));
    }
  });
});
