import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldGetterFor, fieldSelectorMatcher, parseFieldSelector } from '../../src/api/field-selector.js';
import type { KubeObject } from '../../src/api/types.js';
import { pod } from '../helpers/builders.js';

test('parses terms, sorts them, and prints the canonical form', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['metadata.name=web', 'metadata.name=web'],
    ['metadata.name==web', 'metadata.name=web'],
    ['status.phase!=Running,spec.nodeName=node-1', 'spec.nodeName=node-1,status.phase!=Running'],
    ['spec.nodeName=', 'spec.nodeName='],
    ['a=b,,c=d', 'a=b,c=d'],
    ['metadata.name=a\\,b\\=c\\\\d', 'metadata.name=a\\,b\\=c\\\\d'],
  ];
  for (const [input, canonical] of cases) {
    assert.equal(parseFieldSelector(input).toString(), canonical, input);
  }
  assert.deepEqual(parseFieldSelector('metadata.name=a\\,b').requirements, [{ field: 'metadata.name', operator: '=', value: 'a,b' }]);
  assert.deepEqual(parseFieldSelector('a!=b').requirements, [{ field: 'a', operator: '!=', value: 'b' }]);
  assert.equal(parseFieldSelector('').empty, true);
});

test("rejects malformed selectors with Kubernetes' messages", () => {
  const cases: [string, string][] = [
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseFieldSelector(input), { message }, input);
  }
});

/** A pod on nodeName (none when undefined) in phase, with the other fields a field selector picks. */
const podOn = (name: string, nodeName: string | undefined, phase: string): KubeObject =>
  pod(name, { metadata: { namespace: 'default' }, node: nodeName, spec: { restartPolicy: 'Always', serviceAccountName: 'default', schedulerName: 'default-scheduler' }, phase, status: { podIP: '10.244.0.5' } });

test('matches pods on their selectable fields', () => {
  const pods = [podOn('a', 'node-1', 'Running'), podOn('b', undefined, 'Pending'), podOn('c', 'node-2', 'Succeeded')];
  const select = (selector: string) => pods.filter(fieldSelectorMatcher(selector, fieldGetterFor('Pod'))).map((p) => p.metadata.name);
  const cases: [string, string[]][] = [
    ['', ['a', 'b', 'c']],
    ['spec.nodeName=node-1', ['a']],
    ['spec.host=node-1', ['a']],
    ['spec.nodeName=', ['b']],
    ['spec.nodeName!=', ['a', 'c']],
    ['status.phase!=Succeeded,status.phase!=Failed', ['a', 'b']],
    ['metadata.name=c,metadata.namespace=default', ['c']],
    ['metadata.namespace=other', []],
    ['spec.restartPolicy=Always,spec.schedulerName=default-scheduler,spec.serviceAccountName=default', ['a', 'b', 'c']],
    ['status.podIP=10.244.0.5', ['a', 'b', 'c']],
    ['spec.hostNetwork=false', ['a', 'b', 'c']],
    ['status.nominatedNodeName=', ['a', 'b', 'c']],
  ];
  for (const [selector, names] of cases) {
    assert.deepEqual(select(selector), names, selector);
  }
});

test('each kind offers the fields Kubernetes offers for it', () => {
  const cases: { kind: string; obj: KubeObject; selector: string; expected: boolean }[] = [
    {
      kind: 'Event',
      obj: {
        metadata: { name: 'e', namespace: 'ns' },
        involvedObject: { kind: 'Pod', name: 'web', namespace: 'ns', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{app}' },
        reason: 'Started',
        type: 'Normal',
        source: { component: 'kubelet' },
        reportingComponent: 'kubelet',
      },
      selector:
        'involvedObject.kind=Pod,involvedObject.name=web,involvedObject.namespace=ns,involvedObject.uid=u1,involvedObject.apiVersion=v1,' +
        'involvedObject.resourceVersion=7,involvedObject.fieldPath=spec.containers{app},reason=Started,type=Normal,source=kubelet,reportingComponent=kubelet',
      expected: true,
    },
    {
      kind: 'Event',
      obj: { metadata: { name: 'e' }, reportingComponent: 'scheduler' },
      selector: 'source=scheduler',
      expected: true,
    },
    { kind: 'Secret', obj: { metadata: { name: 's' }, type: 'kubernetes.io/tls' }, selector: 'type=kubernetes.io/tls', expected: true },
    { kind: 'Node', obj: { metadata: { name: 'n' }, spec: { unschedulable: true } }, selector: 'spec.unschedulable=true', expected: true },
    { kind: 'Node', obj: { metadata: { name: 'n' }, spec: {} }, selector: 'spec.unschedulable=false', expected: true },
    { kind: 'Namespace', obj: { metadata: { name: 'ns' }, status: { phase: 'Terminating' } }, selector: 'status.phase=Active', expected: false },
    { kind: 'ReplicaSet', obj: { metadata: { name: 'rs' }, status: { replicas: 3 } }, selector: 'status.replicas=3', expected: true },
    { kind: 'ReplicationController', obj: { metadata: { name: 'rc' }, status: {} }, selector: 'status.replicas=0', expected: true },
    { kind: 'Job', obj: { metadata: { name: 'j' }, status: { succeeded: 1 } }, selector: 'status.successful=1', expected: true },
    { kind: 'Service', obj: { metadata: { name: 's' }, spec: { type: 'NodePort', clusterIP: '10.96.0.10' } }, selector: 'spec.type=NodePort,spec.clusterIP=10.96.0.10', expected: true },
    { kind: 'ConfigMap', obj: { metadata: { name: 'cm', namespace: 'a' } }, selector: 'metadata.name=cm,metadata.namespace=a', expected: true },
  ];
  for (const { kind, obj, selector, expected } of cases) {
    assert.equal(fieldSelectorMatcher(selector, fieldGetterFor(kind))(obj), expected, `${kind} ${selector}`);
  }
});

test('unsupported fields are rejected before any object is matched', () => {
  const cases: [string, string, string][] = [
    ['Pod', 'spec.foo=bar', 'spec.foo'],
    ['Deployment', 'status.replicas=1', 'status.replicas'],
    ['Node', 'metadata.namespace=default', 'metadata.namespace'],
    ['Namespace', 'spec.finalizers=x', 'spec.finalizers'],
    ['ConfigMap', 'metadata.name=a,data.key=x', 'data.key'],
  ];
  for (const [kind, selector, field] of cases) {
    assert.throws(() => fieldSelectorMatcher(selector, fieldGetterFor(kind)), { message: `field label not supported: ${field}` }, selector);
  }
});
