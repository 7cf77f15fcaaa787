// The resource quota controller recounts every quota each resync period, as kube-controller-manager
// does (--resource-quota-sync-period): some usage ends with no change to hear, such as a pod's
// charge when its deletion grace period runs out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { Informer } from '../../src/api/informer.js';
import { ResourceQuotaController } from '../../src/apiserver/controllers/resourcequota/resourcequota-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const QUOTAS = findByKind('ResourceQuota')!;

test('each resync recounts every quota: a pod past its deletion grace period stops being charged though nothing changed', async () => {
  const reg = inProcessRegistry();
  const quotas = new Informer(reg.client, QUOTAS);
  let now = Date.now();
  let syncs = 0;
  // The kinds' informers are never started: only a quota's own changes and the resync bring it back.
  const controller = new ResourceQuotaController(reg.client, quotas, (r) => new Informer(reg.client, r), () => {}, () => now, 50);
  const sync = controller.sync.bind(controller);
  controller.sync = (key) => (syncs++, sync(key));
  const used = () => reg.registry.get(QUOTAS, 'default', 'pods').status?.used?.pods;
  try {
    reg.registry.create(PODS, 'default', pod('web', { spec: { nodeName: 'n1' } }));
    reg.registry.create(QUOTAS, 'default', { metadata: { name: 'pods' }, spec: { hard: { pods: '5' } } });
    quotas.start();
    await until('the first count', () => used() === '1');
    // Deleted on a node, the pod stays while its containers stop: charged until the grace period ends.
    reg.registry.delete(PODS, 'default', 'web', { gracePeriodSeconds: 30 });
    assert.ok(reg.registry.get(PODS, 'default', 'web').metadata.deletionTimestamp);
    const before = syncs;
    await until('two resyncs', () => syncs >= before + 2, 10_000);
    assert.equal(used(), '1');
    now += 31_000;
    await until('the resync after the grace period', () => used() === '0', 10_000);
  } finally {
    controller.stop();
    quotas.stop();
    reg.done();
  }
});
