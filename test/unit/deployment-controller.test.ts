import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { Informer } from '../../src/api/informer.js';
import { DeploymentController } from '../../src/apiserver/controllers/deployment/deployment-controller.js';
import { REPLICA_SET } from '../../src/apiserver/controllers/replicaset/replicated-kind.js';
import { ReplicaSetController } from '../../src/apiserver/controllers/replicaset/replicaset-controller.js';
import { isPodReady } from '../../src/apiserver/controllers/replicaset/active-pods.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';
import { deployment } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const RS = findByKind('ReplicaSet')!;
const DEPLOY = findByKind('Deployment')!;
const EVENTS = findByKind('Event')!;
// The pods' one container: a change to its env is a new revision.
const APP = { name: 'app', env: [{ name: 'V', value: '1' }] };

/**
 * The registry with the ReplicaSet and Deployment controllers; with `kubelet`, every new pod is
 * made Running and Ready at once (by patching its status), as a node would.
 */
function setup(opts: { kubelet?: boolean } = {}) {
  const reg = inProcessRegistry();
  const quiet = () => {};
  const deployments = new Informer(reg.client, DEPLOY);
  const replicaSets = new Informer(reg.client, RS);
  const pods = new Informer(reg.client, PODS);
  const rsController = new ReplicaSetController(reg.client, REPLICA_SET, replicaSets, pods, quiet);
  const controller = new DeploymentController(reg.client, deployments, replicaSets, pods, quiet);
  if (opts.kubelet) {
    pods.addHandlers({
      add: (p) => {
        if (p.metadata.deletionTimestamp || isPodReady(p)) return;
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        void reg.client
          .patch(PODS, p.metadata.namespace, p.metadata.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { subresource: 'status' })
          .catch(() => {});
      },
    });
  }
  for (const inf of [deployments, replicaSets, pods]) inf.start();
  const get = (name: string) => reg.registry.get(DEPLOY, 'default', name);
  const replicaSetsOf = async (name: string) =>
    (await reg.client.list(RS, 'default')).items.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.name === name && r.controller));
  const events = async () => (await reg.client.list(EVENTS, 'default')).items;
  const condition = (name: string, type: string) => (get(name).status?.conditions ?? []).find((c: { type: string }) => c.type === type);
  const complete = (name: string) => {
    const d = get(name);
    const s = d.status ?? {};
    return s.observedGeneration === d.metadata.generation && s.updatedReplicas === d.spec.replicas && s.replicas === d.spec.replicas && s.availableReplicas === d.spec.replicas;
  };
  return {
    ...reg,
    pods,
    get,
    replicaSetsOf,
    events,
    condition,
    complete,
    stop() {
      controller.queue.stop();
      rsController.queue.stop();
      for (const inf of [deployments, replicaSets, pods]) inf.stop();
      reg.done();
    },
  };
}

test('a Deployment makes its ReplicaSet <name>-<pod-template-hash>, revision 1, and reports itself complete', async () => {
  const t = setup({ kubelet: true });
  try {
    t.registry.create(DEPLOY, 'default', deployment('django', { replicas: 3, container: APP, metadata: { annotations: { 'kubernetes.io/change-cause': 'first' } } }));
    await until('complete', () => t.complete('django'));
    const [rs] = await t.replicaSetsOf('django');
    const hash = rs.metadata.labels!['pod-template-hash'];
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rs.metadata.name, `django-${hash}`);
    assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'django', 'pod-template-hash': hash } });
    assert.deepEqual(rs.spec.template.metadata.labels, { app: 'django', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata.annotations, {
      'kubernetes.io/change-cause': 'first',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const d = t.get('django');
    assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual({ ...d.status, conditions: undefined }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    const available = t.condition('django', 'Available');
    assert.deepEqual([available.status, available.reason, available.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
    await until('NewReplicaSetAvailable', () => t.condition('django', 'Progressing')?.reason === 'NewReplicaSetAvailable');
    assert.equal(t.condition('django', 'Progressing').message, `ReplicaSet "django-${hash}" has successfully progressed.`);
    const scaling = (await t.events()).filter((e) => e.reason === 'ScalingReplicaSet');
    assert.deepEqual(scaling.map((e) => [e.message, e.source.component, e.involvedObject.kind]), [[`Scaled up replica set django-${hash} from 0 to 3`, 'deployment-controller', 'Deployment']]);
  } finally {
    t.stop();
  }
});

test('a rolling update stays within maxSurge and maxUnavailable, numbers revisions and a rollback reuses the old ReplicaSet', async () => {
  const t = setup({ kubelet: true });
  try {
    t.registry.create(DEPLOY, 'default', deployment('web', { replicas: 4, container: APP, deploymentSpec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } } }));
    await until('complete', () => t.complete('web'));
    const [first] = await t.replicaSetsOf('web');
    let minAvailable = Infinity;
    let maxPods = 0;
    const observe = () => {
      const pods = t.pods.list('default').filter((p) => !p.metadata.deletionTimestamp);
      minAvailable = Math.min(minAvailable, pods.filter(isPodReady).length);
      maxPods = Math.max(maxPods, pods.length);
    };
    t.pods.addHandlers({ add: observe, update: observe, delete: observe });
    const withEnv = (v: string) => ({ spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'V', value: v }] }] } } } });
    t.registry.patch(DEPLOY, 'default', 'web', 'strategic', withEnv('2'));
    await until('second rollout complete', async () => t.complete('web') && (await t.replicaSetsOf('web')).length === 2 && t.get('web').status.replicas === 4);
    assert.ok(minAvailable >= 3, `available never below 3 (saw ${minAvailable})`);
    assert.ok(maxPods <= 5, `never more than 5 pods (saw ${maxPods})`);
    const second = (await t.replicaSetsOf('web')).find((rs) => rs.metadata.uid !== first.metadata.uid)!;
    assert.equal(second.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(t.get('web').metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(t.registry.get(RS, 'default', first.metadata.name!).spec.replicas, 0);
    // Back to the first template: the first ReplicaSet comes back as revision 3.
    t.registry.patch(DEPLOY, 'default', 'web', 'strategic', withEnv('1'));
    await until('rolled back', () => t.complete('web') && t.registry.get(RS, 'default', first.metadata.name!).spec.replicas === 4);
    const back = t.registry.get(RS, 'default', first.metadata.name!);
    assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await t.replicaSetsOf('web')).length, 2);
    const messages = (await t.events()).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    assert.ok(messages.includes(`Scaled up replica set ${second.metadata.name} from 0 to 1`), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith(`Scaled down replica set ${first.metadata.name} from 4 to 3`)), messages.join('\n'));
  } finally {
    t.stop();
  }
});

test('revisionHistoryLimit: old ReplicaSets beyond it are deleted once scaled to zero', async () => {
  const t = setup({ kubelet: true });
  try {
    t.registry.create(DEPLOY, 'default', deployment('hist', { replicas: 2, container: APP, deploymentSpec: { revisionHistoryLimit: 1 } }));
    await until('complete', () => t.complete('hist'));
    for (const v of ['2', '3']) {
      t.registry.patch(DEPLOY, 'default', 'hist', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'V', value: v }] }] } } } });
      await until(`revision ${v} complete`, () => t.complete('hist') && t.get('hist').metadata.annotations!['deployment.kubernetes.io/revision'] === v);
    }
    await until('two ReplicaSets left', async () => (await t.replicaSetsOf('hist')).length === 2);
    const revisions = (await t.replicaSetsOf('hist')).map((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision']).sort();
    assert.deepEqual(revisions, ['2', '3']);
  } finally {
    t.stop();
  }
});

test('a paused Deployment scales but does not roll out until resumed', async () => {
  const t = setup({ kubelet: true });
  try {
    t.registry.create(DEPLOY, 'default', deployment('p', { replicas: 2, container: APP }));
    await until('complete', () => t.complete('p'));
    t.registry.patch(DEPLOY, 'default', 'p', 'merge', { spec: { paused: true } });
    await until('paused condition', () => t.condition('p', 'Progressing')?.reason === 'DeploymentPaused');
    assert.deepEqual([t.condition('p', 'Progressing').status, t.condition('p', 'Progressing').message], ['Unknown', 'Deployment is paused']);
    t.registry.patch(DEPLOY, 'default', 'p', 'strategic', { spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', env: [{ name: 'V', value: '2' }] }] } } } });
    await until('scaled to 3', async () => (await t.replicaSetsOf('p'))[0]?.spec.replicas === 3);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await t.replicaSetsOf('p')).length, 1, 'no new ReplicaSet while paused');
    t.registry.patch(DEPLOY, 'default', 'p', 'merge', { spec: { paused: false } });
    await until('rolled out after resume', async () => t.complete('p') && (await t.replicaSetsOf('p')).length === 2);
  } finally {
    t.stop();
  }
});

test('no progress within progressDeadlineSeconds: Progressing False ProgressDeadlineExceeded', async () => {
  const t = setup();
  try {
    t.registry.create(DEPLOY, 'default', deployment('stuck', { replicas: 1, container: APP, deploymentSpec: { progressDeadlineSeconds: 1 } }));
    await until('timed out', () => t.condition('stuck', 'Progressing')?.reason === 'ProgressDeadlineExceeded', 6000);
    const [rs] = await t.replicaSetsOf('stuck');
    const c = t.condition('stuck', 'Progressing');
    assert.deepEqual([c.status, c.message], ['False', `ReplicaSet "${rs.metadata.name}" has timed out progressing.`]);
    assert.equal(t.condition('stuck', 'Available').reason, 'MinimumReplicasUnavailable');
  } finally {
    t.stop();
  }
});

test('Recreate: the old pods go before the new ReplicaSet scales up', async () => {
  const t = setup({ kubelet: true });
  try {
    t.registry.create(DEPLOY, 'default', deployment('rec', { replicas: 2, container: APP, deploymentSpec: { strategy: { type: 'Recreate' } } }));
    await until('complete', () => t.complete('rec'));
    const [old] = await t.replicaSetsOf('rec');
    t.registry.patch(DEPLOY, 'default', 'rec', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'V', value: '2' }] }] } } } });
    await until('recreated', async () => t.complete('rec') && (await t.replicaSetsOf('rec')).length === 2);
    const fresh = (await t.replicaSetsOf('rec')).find((rs) => rs.metadata.uid !== old.metadata.uid)!;
    const messages = (await t.events()).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    const down = messages.indexOf(`Scaled down replica set ${old.metadata.name} from 2 to 0`);
    const up = messages.indexOf(`Scaled up replica set ${fresh.metadata.name} from 0 to 2`);
    assert.ok(down >= 0 && up > down, messages.join('\n'));
  } finally {
    t.stop();
  }
});
