// Deployments on two real node agents: the ReplicaSet and Deployment controllers in the daemon,
// real busybox containers, driven through kctl (scale, rollout, set image) and the real kubectl.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlAvailable } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';

const DEPLOY_PATH = '/apis/apps/v1/namespaces/default/deployments';

const manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': 'first version' } },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'], env: [{ name: 'VERSION', value: '1' }] }] },
    },
  },
};

const isReady = (p: any) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

describe('deployments on two nodes', () => {
  const { c } = useNodeCluster(['--nodes', '2']);


  const pods = async (): Promise<any[]> => (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items;
  const deployment = async (): Promise<any> => (await c.api('GET', `${DEPLOY_PATH}/web`)).body;
  const replicaSets = async (): Promise<any[]> => (await c.api('GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dweb')).body.items;
  async function rolloutStatus(timeout = '90s') {
    const r = await c.kctl(['rollout', 'status', 'deployment/web', '--timeout', timeout]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /deployment "web" successfully rolled out\n$/);
    return r;
  }

  test('a Deployment spreads its pods over both nodes and rolls out', async () => {
    const apply = await c.kctl(['apply', '-f', '-'], JSON.stringify(manifest));
    assert.equal(apply.code, 0, apply.stderr);
    await rolloutStatus();
    const running = (await pods()).filter(isReady);
    assert.equal(running.length, 4);
    assert.deepEqual([...new Set(running.map((p) => p.spec.nodeName))].sort(), ['node-1', 'node-2']);
    const [rs] = await replicaSets();
    assert.equal(rs.metadata.name, `web-${rs.metadata.labels['pod-template-hash']}`);
    for (const p of running) assert.match(p.metadata.name, new RegExp(`^${rs.metadata.name}-[a-z0-9]{5}$`));
    const d = await deployment();
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status.availableReplicas, 4);
  });

  test('a deleted pod is replaced', async () => {
    const [victim] = (await pods()).filter(isReady);
    const del = await c.kctl(['delete', 'pod', victim.metadata.name, '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    await until('4 pods ready again without the deleted one', async () => {
      const ready = (await pods()).filter(isReady);
      return ready.length === 4 && !ready.some((p) => p.metadata.name === victim.metadata.name);
    });
  });

  test('kctl scale goes through the scale subresource, with --current-replicas as a precondition', async () => {
    const down = await c.kctl(['scale', 'deployment/web', '--replicas', '2']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stdout, 'deployment.apps/web scaled\n');
    await until('2 pods', async () => (await pods()).filter((p) => !p.metadata.deletionTimestamp).length === 2);
    const wrong = await c.kctl(['scale', 'deploy', 'web', '--replicas=4', '--current-replicas=3']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, 'error: Expected replicas to be 3, was 2\n');
    const up = await c.kctl(['scale', 'deploy', 'web', '--replicas=4', '--current-replicas=2']);
    assert.equal(up.code, 0, up.stderr);
    await rolloutStatus();
  });

  test('a rolling update never has fewer than replicas - maxUnavailable pods available', async () => {
    let minReady = Infinity;
    let maxPods = 0;
    let watching = true;
    const poller = (async () => {
      while (watching) {
        const all = (await pods()).filter((p) => !p.metadata.deletionTimestamp);
        minReady = Math.min(minReady, all.filter(isReady).length);
        maxPods = Math.max(maxPods, all.length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const patch = await c.api('PATCH', `${DEPLOY_PATH}/web`, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'VERSION', value: '2' }] }] } } } }, {
      'Content-Type': 'application/strategic-merge-patch+json',
    });
    assert.equal(patch.status, 200, patch.text);
    const status = await rolloutStatus();
    watching = false;
    await poller;
    assert.match(status.stdout, /Waiting for deployment "web" rollout to finish: /);
    assert.ok(minReady >= 3, `ready pods never below 3, saw ${minReady}`);
    assert.ok(maxPods <= 5, `never more than 5 pods, saw ${maxPods}`);
    const sets = await replicaSets();
    assert.equal(sets.length, 2);
    assert.deepEqual(sets.map((rs) => [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs.spec.replicas]).sort(), [['1', 0], ['2', 4]]);
    const history = await c.kctl(['rollout', 'history', 'deployment/web']);
    assert.equal(history.code, 0, history.stderr);
    assert.equal(history.stdout, 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first version\n2         first version\n\n');
  });

  test('set image to a missing image stalls within maxUnavailable; rollout undo brings the old ReplicaSet back', async () => {
    const set = await c.kctl(['set', 'image', 'deployment/web', 'app=127.0.0.1:1/missing:1.0']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, 'deployment.apps/web image updated\n');
    await until('the new ReplicaSet has 2 pods', async () => (await replicaSets()).some((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '3' && rs.spec.replicas === 2));
    const stalled = await c.kctl(['rollout', 'status', 'deployment/web', '--timeout', '2s']);
    assert.equal(stalled.code, 1);
    assert.equal(stalled.stderr, 'error: timed out waiting for the condition\n');
    assert.match(stalled.stdout, /Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated\.\.\./);
    assert.equal((await pods()).filter(isReady).length, 3);

    const undo = await c.kctl(['rollout', 'undo', 'deployment/web']);
    assert.equal(undo.code, 0, undo.stderr);
    assert.equal(undo.stdout, 'deployment.apps/web rolled back\n');
    await rolloutStatus();
    const d = await deployment();
    assert.equal(d.spec.template.spec.containers[0].image, 'busybox:1.35');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '4');
    const back = (await replicaSets()).find((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '4');
    assert.equal(back.spec.replicas, 4);
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision-history'], '2');
    const history = await c.kctl(['rollout', 'history', 'deployment/web']);
    assert.match(history.stdout, /^deployment\.apps\/web \nREVISION {2}CHANGE-CAUSE\n1 {9}first version\n3 {9}first version\n4 {9}first version\n\n$/);
    const revision = await c.kctl(['rollout', 'history', 'deployment/web', '--revision', '3']);
    assert.match(revision.stdout, /^deployment\.apps\/web with revision #3\nPod Template:\n/);
    assert.match(revision.stdout, /Image:\t127\.0\.0\.1:1\/missing:1\.0/);
  });

  test('pause, restart refused while paused, resume, restart rolls out again', async () => {
    const pause = await c.kctl(['rollout', 'pause', 'deployment/web']);
    assert.equal(pause.stdout, 'deployment.apps/web paused\n');
    const again = await c.kctl(['rollout', 'pause', 'deployment/web']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'error: deployments.apps "web" is already paused\n');
    const refused = await c.kctl(['rollout', 'restart', 'deployment/web']);
    assert.equal(refused.stderr, `error: deployments.apps "web" can't restart paused deployment (run rollout resume first)\n`);
    const resume = await c.kctl(['rollout', 'resume', 'deployment/web']);
    assert.equal(resume.stdout, 'deployment.apps/web resumed\n');
    const restart = await c.kctl(['rollout', 'restart', 'deployment/web']);
    assert.equal(restart.stdout, 'deployment.apps/web restarted\n');
    await rolloutStatus();
    const d = await deployment();
    assert.ok(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '5');
  });

  test('the real kubectl: rollout status and history', { skip: !kubectlAvailable() && 'kubectl not installed' }, async () => {
    const status = await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deployment "web" successfully rolled out/);
    const history = await c.kubectl(['rollout', 'history', 'deployment/web']);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+first version\n3\s+first version\n4\s+first version\n5\s+first version/);
    const scale = await c.kubectl(['scale', 'deployment/web', '--replicas=3']);
    assert.equal(scale.stdout, 'deployment.apps/web scaled\n');
    await until('3 pods', async () => (await pods()).filter(isReady).length === 3 && (await pods()).length === 3);
  });
});
