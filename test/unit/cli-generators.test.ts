// What kctl's kubectl-style generators build (create deployment|service|ingress, expose) and how
// patch reads its flags; expected objects are what kubectl 1.32 prints with --dry-run=client -o yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { CliError } from '../../src/cli/errors.js';
import { containerNameFor, deploymentFor, validateDeploymentFlags } from '../../src/cli/generators/deployment.js';
import { parseTcpSpec, serviceFor, validateServiceFlags } from '../../src/cli/generators/service.js';
import { ingressFor, validateIngressFlags } from '../../src/cli/generators/ingress.js';
import { exposedPorts, exposedService, parseLabelPairs } from '../../src/cli/generators/exposed-service.js';
import { applyPatchLocally, checkPatchFlags, parsePatchText, patchOperation } from '../../src/cli/patch-document.js';
import { deployment } from '../helpers/builders.js';

const cliError = (message: string | RegExp) => (err: unknown) => {
  assert.ok(err instanceof CliError, String(err));
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  return true;
};

test('create deployment: labels app=NAME, containers named after images, port on the first, command', () => {
  const d = deploymentFor({ name: 'web', images: ['nginx:1.25', 'docker.io/library/busy_box@sha256:abc'], replicas: 2, port: 80, command: [] }, () => 'xq9gd');
  assert.deepEqual(d, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
            { name: 'busy-box-xq9gd', image: 'docker.io/library/busy_box@sha256:abc' },
          ],
        },
      },
    },
  });
  const withCommand = deploymentFor({ name: 'job', images: ['busybox'], replicas: 1, port: -1, command: ['sleep', '1'], namespace: 'foo' });
  assert.equal(withCommand.metadata.namespace, 'foo');
  assert.deepEqual(withCommand.spec.template.spec.containers, [{ name: 'busybox', image: 'busybox', command: ['sleep', '1'] }]);
  assert.equal(containerNameFor('registry:5000/team/my.app:v1', () => 'abcde'), 'my-app-abcde');
  assert.match(containerNameFor('a_b'), /^a-b-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.throws(() => validateDeploymentFlags({ images: [], command: [] }), cliError('required flag(s) "image" not set'));
  assert.throws(() => validateDeploymentFlags({ images: ['a', 'b'], command: ['x'] }), cliError('cannot specify multiple --image options and command'));
});

test('create service: ports named after --tcp, targets numbers or names, node port, headless, external name', () => {
  assert.deepEqual(serviceFor({ name: 'web', type: 'ClusterIP', tcp: ['80:8080', '443:https,53'] }), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      ports: [
        { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
        { name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https' },
        { name: '53', protocol: 'TCP', port: 53, targetPort: 53 },
      ],
      selector: { app: 'web' },
      type: 'ClusterIP',
    },
  });
  assert.deepEqual(serviceFor({ name: 'web', type: 'NodePort', tcp: ['80'], nodePort: 30080 }).spec.ports, [
    { name: '80', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 },
  ]);
  const headless = serviceFor({ name: 'db', type: 'ClusterIP', tcp: [], clusterIP: 'None' });
  assert.equal(headless.spec.clusterIP, 'None');
  assert.equal(headless.spec.ports, undefined);
  const ext = serviceFor({ name: 'x', type: 'ExternalName', tcp: [], externalName: 'example.com' });
  assert.equal(ext.spec.externalName, 'example.com');
  assert.deepEqual(ext.spec.selector, { app: 'x' });

  assert.throws(() => validateServiceFlags({ name: 'a', type: 'ClusterIP', tcp: [''] }), cliError('at least one tcp port specifier must be provided'));
  assert.doesNotThrow(() => validateServiceFlags({ name: 'a', type: 'ClusterIP', tcp: [], clusterIP: 'None' }));
  assert.throws(() => validateServiceFlags({ name: 'a', type: 'NodePort', tcp: ['80'], clusterIP: 'None' }), cliError('ClusterIP=None can only be used with ClusterIP service type'));
  assert.throws(() => validateServiceFlags({ name: 'a', type: 'ExternalName', tcp: [], externalName: 'Bad_Name' }), cliError('invalid service external name Bad_Name'));
  assert.throws(() => parseTcpSpec('abc'), cliError('strconv.ParseUint: parsing "abc": invalid syntax'));
  assert.throws(() => parseTcpSpec('70000'), cliError('strconv.ParseUint: parsing "70000": value out of range'));
  assert.throws(() => parseTcpSpec('80:0'), cliError('must be between 1 and 65535, inclusive'));
  assert.throws(() => parseTcpSpec('80:Bad_Port'), cliError('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'));
  assert.deepEqual(parseTcpSpec('0'), { port: 0, targetPort: 0 });
});

test('create ingress: rules grouped by host, Exact or Prefix from a trailing *, TLS per secret, backend ports', () => {
  const ing = ingressFor({
    name: 'x',
    rules: ['foo.com/a*=svc:http,tls=s1', 'foo.com/b=svc2:80,tls', 'bar.com/=svc3:80,tls=s1', '/x=s:1'],
    className: 'nginx',
    defaultBackend: 'd:http',
    annotations: ['a=b=c'],
  });
  assert.deepEqual(ing, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'x', annotations: { a: 'b=c' } },
    spec: {
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'd', port: { name: 'http' } } },
      tls: [{ hosts: ['foo.com', 'bar.com'], secretName: 's1' }],
      rules: [
        {
          host: 'foo.com',
          http: {
            paths: [
              { path: '/a', pathType: 'Prefix', backend: { service: { name: 'svc', port: { name: 'http' } } } },
              { path: '/b', pathType: 'Exact', backend: { service: { name: 'svc2', port: { number: 80 } } } },
            ],
          },
        },
        { host: 'bar.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'svc3', port: { number: 80 } } } }] } },
        { http: { paths: [{ path: '/x', pathType: 'Exact', backend: { service: { name: 's', port: { number: 1 } } } }] } },
      ],
    },
  });
  assert.deepEqual(ingressFor({ name: 'd', rules: [], defaultBackend: 'web:80', annotations: [] }).spec, {
    defaultBackend: { service: { name: 'web', port: { number: 80 } } },
  });
  assert.throws(() => validateIngressFlags({ name: 'x', rules: [], annotations: [] }), cliError(/^not enough information provided/));
  assert.throws(() => validateIngressFlags({ name: 'x', rules: ['foo'], annotations: [] }), cliError('rule foo is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]'));
  assert.throws(() => validateIngressFlags({ name: 'x', rules: [], defaultBackend: 'a', annotations: [] }), cliError('default-backend should be in format servicename:serviceport'));
});

/** The Deployment web (metadata labels when given) selecting with selector; its containers c0, c1... have these ports. */
const exposing = (selector: object, ports: object[][], labels?: Record<string, string>): KubeObject =>
  deployment('web', {
    metadata: labels ? { labels } : {},
    labels: { app: 'web', x: 'y' },
    spec: { containers: ports.map((p, i) => ({ name: `c${i}`, image: 'nginx', ports: p })) },
    deploymentSpec: { selector },
  });

test("expose: the deployment's matchLabels and container ports, port-N names, one port per protocol", () => {
  const d = exposing({ matchLabels: { app: 'web' } }, [[{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }], [{ containerPort: 8443, name: 'https' }]], { app: 'web', tier: 'fe' });
  assert.deepEqual(exposedPorts(d), ['80', '53', '8443']);
  assert.deepEqual(exposedService(d, {}), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
    spec: {
      ports: [
        { name: 'port-1', protocol: 'TCP', port: 80, targetPort: 80 },
        { name: 'port-2-udp', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'port-2-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'port-3', protocol: 'TCP', port: 8443, targetPort: 8443 },
      ],
      selector: { app: 'web' },
    },
  });
  const flags = exposedService(d, {
    port: '80',
    targetPort: 'http',
    type: 'LoadBalancer',
    name: 'w2',
    labels: 'a=b',
    externalIP: '1.2.3.4',
    sessionAffinity: 'ClientIP',
    clusterIP: '10.96.0.50',
    loadBalancerIP: '1.1.1.1',
    protocol: 'UDP',
  });
  assert.deepEqual(flags, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'w2', labels: { a: 'b' } },
    spec: {
      ports: [{ protocol: 'UDP', port: 80, targetPort: 'http' }],
      selector: { app: 'web' },
      clusterIP: '10.96.0.50',
      externalIPs: ['1.2.3.4'],
      type: 'LoadBalancer',
      loadBalancerIP: '1.1.1.1',
      sessionAffinity: 'ClientIP',
    },
  });
});

test('expose: selectors of pods, services and replication controllers; what cannot be exposed', () => {
  const pod: KubeObject = { kind: 'Pod', metadata: { name: 'p'.repeat(70), labels: { run: 'p' } }, spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 8080 }] }] } };
  const svc = exposedService(pod, { namespace: 'default' });
  assert.equal(svc.metadata.name, 'p'.repeat(63));
  assert.equal(svc.metadata.namespace, 'default');
  assert.deepEqual(svc.spec.selector, { run: 'p' });
  assert.deepEqual(svc.spec.ports, [{ protocol: 'TCP', port: 8080, targetPort: 8080 }]);

  const service: KubeObject = { kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 's' }, ports: [{ port: 53, protocol: 'UDP' }] } };
  assert.deepEqual(exposedService(service, { name: 's2' }).spec.ports, [{ protocol: 'UDP', port: 53, targetPort: 53 }]);
  const rc: KubeObject = { kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { selector: { app: 'rc' }, template: { spec: { containers: [] } } } };
  assert.deepEqual(exposedService(rc, { port: '80' }).spec.selector, { app: 'rc' });
  assert.throws(() => exposedService(rc, {}), cliError("couldn't find port via --port flag or introspection"));
  assert.equal(exposedService(rc, { clusterIP: 'None' }).spec.ports, undefined);

  const introspection = "couldn't retrieve selectors via --selector flag or introspection: ";
  const exprs = exposing({ matchLabels: { app: 'e' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }, { key: 'b', operator: 'Exists' }] }, [[]]);
  assert.throws(
    () => exposedService(exprs, { port: '80' }),
    cliError(`${introspection}couldn't convert expressions - "[{Key:a Operator:In Values:[x y]} {Key:b Operator:Exists Values:[]}]" to map-based selector format`),
  );
  assert.throws(() => exposedService({ ...pod, metadata: { name: 'p' } }, {}), cliError(`${introspection}the pod has no labels and cannot be exposed`));
  assert.throws(() => exposedService({ kind: 'Service', metadata: { name: 's' }, spec: {} }, { port: '1' }), cliError(`${introspection}the service has no pod selector set`));
  assert.throws(() => exposedService({ kind: 'Namespace', metadata: { name: 'n' } }, {}), cliError('cannot expose a Namespace'));
  assert.throws(() => exposedService(pod, { port: 'abc' }), cliError('strconv.Atoi: parsing "abc": invalid syntax'));
  assert.throws(() => exposedService(pod, { sessionAffinity: 'x' }), cliError('unknown session affinity: x'));
  assert.throws(() => parseLabelPairs('bad'), cliError('unexpected label spec: bad'));
  assert.throws(() => parseLabelPairs('=v'), cliError('unexpected empty label key'));
});

test('patch: flag checks, JSON or YAML text, local application and the no-change operation', () => {
  assert.equal(checkPatchFlags({ patch: '{}', type: 'Merge' }), 'merge');
  assert.throws(() => checkPatchFlags({ type: 'strategic' }), cliError('must specify --patch or --patch-file containing the contents of the patch'));
  assert.throws(() => checkPatchFlags({ patch: 'x', patchFile: 'y', type: 'strategic' }), cliError('cannot specify --patch and --patch-file together'));
  assert.throws(() => checkPatchFlags({ patch: 'x', type: 'foo' }), cliError('--type must be one of [json merge strategic], not "foo"'));
  assert.throws(() => checkPatchFlags({ patch: 'x', type: 'json', subresource: 'foo' }), cliError('invalid subresource value: "foo". Must be one of [status scale]'));
  assert.deepEqual(parsePatchText('spec: {replicas: 4}', 'p'), { spec: { replicas: 4 } });
  assert.throws(() => parsePatchText('{:', '{:'), cliError(/^unable to parse "\{:": /));

  const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } } };
  const strategic = applyPatchLocally(d, 'strategic', { spec: { template: { spec: { containers: [{ name: 'b', image: 'z' }] } } } });
  assert.deepEqual(strategic.spec.template.spec.containers, [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }]);
  const merge = applyPatchLocally(d, 'merge', { spec: { template: { spec: { containers: [{ name: 'b', image: 'z' }] } } } });
  assert.deepEqual(merge.spec.template.spec.containers, [{ name: 'b', image: 'z' }]);
  assert.equal(applyPatchLocally(d, 'json', [{ op: 'replace', path: '/spec/replicas', value: 3 }]).spec.replicas, 3);
  assert.equal(d.spec.replicas, 1);
  assert.throws(() => applyPatchLocally(d, 'json', [{ op: 'replace', path: '/spec/nope/x', value: 5 }]), cliError(/^replace operation does not apply/));
  assert.equal(patchOperation(true), 'patched');
  assert.equal(patchOperation(false), 'patched (no change)');
});
