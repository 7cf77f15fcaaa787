import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder, referenceTo } from '../../src/api/event-recorder.js';
import { findByKind } from '../../src/api/resources.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';

const EVENTS = findByKind('Event')!;
const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7' } };

test('an event is written as the kubelet writes it, and the same event again raises its count', async () => {
  const { client, done } = inProcessRegistry();
  try {
    const rec = new EventRecorder(client, { component: 'kubelet', host: 'node-1' }, assert.fail);
    const ref = referenceTo(POD, 'spec.containers{app}');
    rec.event(ref, 'Warning', 'BackOff', 'Back-off restarting failed container app');
    rec.event(ref, 'Warning', 'BackOff', 'Back-off restarting failed container app');
    rec.event(ref, 'Normal', 'Started', 'Started container app');
    await rec.flush();
    const items = (await client.list(EVENTS, 'default')).items as any[];
    assert.equal(items.length, 2);
    const backOff = items.find((e) => e.reason === 'BackOff');
    assert.equal(backOff.count, 2);
    assert.equal(backOff.type, 'Warning');
    assert.deepEqual(backOff.involvedObject, { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', resourceVersion: '7', fieldPath: 'spec.containers{app}' });
    assert.deepEqual(backOff.source, { component: 'kubelet', host: 'node-1' });
    assert.equal(backOff.reportingInstance, 'node-1');
    assert.match(backOff.metadata.name, /^web\.[0-9a-f]+$/);
    assert.ok(backOff.lastTimestamp >= backOff.firstTimestamp);
  } finally {
    done();
  }
});

test('an aggregated event that was deleted meanwhile starts a new series; failures are logged, not thrown', async () => {
  const { client, done } = inProcessRegistry();
  try {
    const logged: string[] = [];
    const rec = new EventRecorder(client, { component: 'kubelet', host: 'node-1' }, (m) => logged.push(m));
    const ref = referenceTo(POD);
    rec.event(ref, 'Normal', 'Killing', 'Stopping container app');
    await rec.flush();
    const [first] = (await client.list(EVENTS, 'default')).items;
    await client.delete(EVENTS, 'default', first.metadata!.name!);
    rec.event(ref, 'Normal', 'Killing', 'Stopping container app');
    rec.event({ ...ref, namespace: 'missing-namespace' }, 'Normal', 'Killing', 'x');
    await rec.flush();
    const items = (await client.list(EVENTS, 'default')).items as any[];
    assert.equal(items.length, 1);
    assert.equal(items[0].count, 1);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /cannot record event Killing for pod missing-namespace\/web/);
  } finally {
    done();
  }
});
