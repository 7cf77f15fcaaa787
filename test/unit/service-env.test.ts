import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { containerEnv, type EnvContext } from '../../src/nodeagent/pods/container-env.js';
import { linkedServices, podServiceEnv, serviceEnvVars } from '../../src/nodeagent/pods/service-env.js';
import { pod } from '../helpers/builders.js';

function svc(namespace: string, name: string, spec: Service['spec']): Service {
  return { metadata: { namespace, name }, spec };
}

const django = svc('shop', 'django-service', { clusterIP: '10.96.0.30', ports: [{ name: 'http', port: 8000, targetPort: 8000 }, { name: 'metrics', port: 9090, protocol: 'UDP' }] });
const headless = svc('shop', 'db', { clusterIP: 'None', ports: [{ port: 5432 }] });
const external = svc('shop', 'ext', { type: 'ExternalName', externalName: 'example.com' });
const kubernetes = svc('default', 'kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] });
const other = svc('other', 'elsewhere', { clusterIP: '10.96.0.40', ports: [{ port: 80 }] });
const all = [django, headless, external, kubernetes, other];

/** The pod p in namespace, enableServiceLinks when given. */
const podIn = (namespace: string, enableServiceLinks?: boolean): Pod => pod('p', { metadata: { namespace }, spec: enableServiceLinks === undefined ? {} : { enableServiceLinks } }) as Pod;

test("a Service's variables, named and ordered as the kubelet's", () => {
  assert.deepEqual(serviceEnvVars([django]), [
    ['DJANGO_SERVICE_SERVICE_HOST', '10.96.0.30'],
    ['DJANGO_SERVICE_SERVICE_PORT', '8000'],
    ['DJANGO_SERVICE_SERVICE_PORT_HTTP', '8000'],
    ['DJANGO_SERVICE_SERVICE_PORT_METRICS', '9090'],
    ['DJANGO_SERVICE_PORT', 'tcp://10.96.0.30:8000'],
    ['DJANGO_SERVICE_PORT_8000_TCP', 'tcp://10.96.0.30:8000'],
    ['DJANGO_SERVICE_PORT_8000_TCP_PROTO', 'tcp'],
    ['DJANGO_SERVICE_PORT_8000_TCP_PORT', '8000'],
    ['DJANGO_SERVICE_PORT_8000_TCP_ADDR', '10.96.0.30'],
    ['DJANGO_SERVICE_PORT_9090_UDP', 'udp://10.96.0.30:9090'],
    ['DJANGO_SERVICE_PORT_9090_UDP_PROTO', 'udp'],
    ['DJANGO_SERVICE_PORT_9090_UDP_PORT', '9090'],
    ['DJANGO_SERVICE_PORT_9090_UDP_ADDR', '10.96.0.30'],
  ]);
});

test("the pod's namespace's Services with a ClusterIP, plus default/kubernetes; headless and ExternalName have none", () => {
  assert.deepEqual(linkedServices(podIn('shop'), all).map((s) => s.metadata!.name), ['django-service', 'kubernetes']);
  const env = podServiceEnv(podIn('shop'), all);
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  assert.equal(env.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
  assert.equal([...env.keys()].some((k) => k.startsWith('DB_') || k.startsWith('EXT_') || k.startsWith('ELSEWHERE_')), false);
});

test('enableServiceLinks: false leaves only the kubernetes Service, as the kubelet always adds it', () => {
  assert.deepEqual(linkedServices(podIn('shop', false), all).map((s) => s.metadata!.name), ['kubernetes']);
  assert.deepEqual(linkedServices(podIn('default', false), all).map((s) => s.metadata!.name), ['kubernetes']);
});

test("in a container: its own env wins over a service variable, and $(VAR) expands to service variables", () => {
  const ctx: EnvContext = { hostIPs: [], podIPs: [], allocatable: {}, objects: { configMaps: new Map(), secrets: new Map() }, serviceEnv: podServiceEnv(podIn('shop'), all) };
  const r = containerEnv(
    podIn('shop'),
    {
      name: 'app',
      env: [
        { name: 'KUBERNETES_SERVICE_HOST', value: 'mine' },
        { name: 'BACKEND', value: 'http://$(DJANGO_SERVICE_SERVICE_HOST):$(DJANGO_SERVICE_SERVICE_PORT)/' },
      ],
      args: ['--api=$(KUBERNETES_SERVICE_PORT)'],
    },
    ctx,
  );
  assert.equal(r.env[0], 'KUBERNETES_SERVICE_HOST=mine');
  assert.equal(r.env[1], 'BACKEND=http://10.96.0.30:8000/');
  assert.ok(r.env.includes('DJANGO_SERVICE_SERVICE_PORT_HTTP=8000'));
  assert.equal(r.env.filter((e) => e.startsWith('KUBERNETES_SERVICE_HOST=')).length, 1);
  assert.deepEqual(r.args, ['--api=443']);
});
