// A preemptor nominated to a node overrides the nominations of lower-priority pods there: they no
// longer fit once it takes the room, so they lose the nomination and look for a place again, as
// kube-scheduler's prepareCandidate does. Run against an in-process registry, with no node agent:
// victims stay terminating, as on a node whose containers take their grace period to stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { Informer } from '../../src/api/informer.js';
import { Scheduler } from '../../src/apiserver/scheduler/scheduler.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';
import { node, pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const NODES = findByKind('Node')!;
const PRIORITY_CLASSES = findByKind('PriorityClass')!;

test('a higher-priority preemptor on a node clears the nomination of a lower-priority one waiting there', async () => {
  const reg = inProcessRegistry();
  const pods = new Informer(reg.client, PODS);
  const nodes = new Informer(reg.client, NODES);
  const scheduler = new Scheduler(reg.client, pods, nodes, () => {});
  const nominated = (name: string) => reg.registry.get(PODS, 'default', name).status?.nominatedNodeName;
  const wanting = (name: string, priorityClassName?: string) => pod(name, { requests: { cpu: '2' }, spec: priorityClassName ? { priorityClassName } : {} });
  try {
    for (const [name, value] of [['medium', 100], ['high', 1000]] as const) reg.registry.create(PRIORITY_CLASSES, undefined, { metadata: { name }, value });
    // Room for two: two pods of no priority hold it.
    reg.registry.create(NODES, undefined, node('n1', { allocatable: { cpu: '4' } }));
    for (const name of ['a', 'b']) reg.registry.create(PODS, 'default', pod(name, { requests: { cpu: '2' }, node: 'n1' }));
    const terminating = () => ['a', 'b'].filter((name) => reg.registry.get(PODS, 'default', name).metadata.deletionTimestamp).length;
    await Promise.all([pods.start(), nodes.start()]);
    scheduler.start();

    reg.registry.create(PODS, 'default', wanting('medium', 'medium'));
    await until('medium nominated to n1', () => nominated('medium') === 'n1', 10_000);
    assert.equal(terminating(), 1, 'one pod evicted for medium');

    reg.registry.create(PODS, 'default', wanting('high', 'high'));
    await until('high nominated to n1', () => nominated('high') === 'n1', 10_000);
    assert.equal(terminating(), 2, 'the other evicted for high');
    await until("medium's nomination cleared", () => nominated('medium') === undefined, 10_000);
    // Tried again, medium finds the room held for high and nothing left to evict.
    assert.equal(reg.registry.get(PODS, 'default', 'medium').spec?.nodeName, undefined);
  } finally {
    await scheduler.stop();
    pods.stop();
    nodes.stop();
    reg.done();
  }
});
