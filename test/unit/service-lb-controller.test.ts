import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { Informer } from '../../src/api/informer.js';
import { ServiceLoadBalancerController } from '../../src/apiserver/controllers/service-lb/service-lb-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';

const SERVICES = findByKind('Service')!;
const EVENTS = findByKind('Event')!;

function lb(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

function start(reg: ReturnType<typeof inProcessRegistry>) {
  const services = new Informer(reg.client, SERVICES);
  const controller = new ServiceLoadBalancerController(reg.client, services, () => {});
  services.start();
  return () => {
    controller.queue.stop();
    services.stop();
  };
}

const ingressOf = (reg: ReturnType<typeof inProcessRegistry>, name: string) => reg.registry.get(SERVICES, 'default', name).status?.loadBalancer?.ingress;

test('each LoadBalancer Service gets its own loopback address, published with ipMode VIP; a type change away clears it', async () => {
  const reg = inProcessRegistry();
  const stop = start(reg);
  try {
    reg.registry.create(SERVICES, 'default', lb('a'));
    reg.registry.create(SERVICES, 'default', lb('b'));
    reg.registry.create(SERVICES, 'default', { ...lb('plain'), spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    await until('both have an address', () => !!ingressOf(reg, 'a') && !!ingressOf(reg, 'b'));
    const [a, b] = [ingressOf(reg, 'a'), ingressOf(reg, 'b')];
    assert.deepEqual(a, [{ ip: '127.240.0.1', ipMode: 'VIP' }]);
    assert.deepEqual(b, [{ ip: '127.240.0.2', ipMode: 'VIP' }]);
    assert.equal(ingressOf(reg, 'plain'), undefined);
    await until('events', () => reg.registry.list(EVENTS, 'default').rows.map((r) => JSON.parse(r.value).reason).includes('EnsuredLoadBalancer'));

    reg.registry.patch(SERVICES, 'default', 'a', 'merge', { spec: { type: 'ClusterIP' } });
    await until('a has no load balancer any more', () => ingressOf(reg, 'a') === undefined);
    reg.registry.create(SERVICES, 'default', lb('c'));
    await until('c gets the freed address', () => ingressOf(reg, 'c')?.[0]?.ip === '127.240.0.1');
  } finally {
    stop();
    reg.done();
  }
});

test('spec.loadBalancerIP is honoured when in range and free; a restarted controller keeps every address', async () => {
  const reg = inProcessRegistry();
  let stop = start(reg);
  try {
    reg.registry.create(SERVICES, 'default', lb('chosen', { loadBalancerIP: '127.240.0.9' }));
    reg.registry.create(SERVICES, 'default', lb('first'));
    await until('both have an address', () => !!ingressOf(reg, 'chosen') && !!ingressOf(reg, 'first'));
    assert.equal(ingressOf(reg, 'chosen')[0].ip, '127.240.0.9');
    reg.registry.create(SERVICES, 'default', lb('outside', { loadBalancerIP: '10.0.0.1' }));
    await until('a warning for the address out of range', () =>
      reg.registry
        .list(EVENTS, 'default')
        .rows.map((r) => JSON.parse(r.value))
        .some(
          (e) =>
            e.reason === 'SyncLoadBalancerFailed' &&
            e.message === 'Error syncing load balancer: failed to ensure load balancer: requested loadBalancerIP 10.0.0.1 is not in the load balancer range 127.240.0.0/16',
        ),
    );
    assert.equal(ingressOf(reg, 'outside'), undefined);
    stop();

    // A new controller (a daemon restart) hands out nothing already published.
    stop = start(reg);
    reg.registry.create(SERVICES, 'default', lb('later'));
    await until('later has an address', () => !!ingressOf(reg, 'later'));
    const first = ingressOf(reg, 'first')[0].ip;
    assert.notEqual(ingressOf(reg, 'later')[0].ip, first);
    assert.notEqual(ingressOf(reg, 'later')[0].ip, '127.240.0.9');
    assert.equal(ingressOf(reg, 'chosen')[0].ip, '127.240.0.9');
  } finally {
    stop();
    reg.done();
  }
});
