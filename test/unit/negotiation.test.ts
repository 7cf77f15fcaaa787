import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { bodyFormat, negotiate } from '../../src/apiserver/http/negotiation.js';
import { decodeObjectBody, decodePatchBody } from '../../src/apiserver/http/body.js';
import { encodeObject, PROTOBUF_MEDIA_TYPE } from '../../src/api/protobuf/envelope.js';

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

const none = new URLSearchParams();
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace' };

test('the response format is the highest-weighted served type, in the client order for equal weights', () => {
  const format = (accept: string, watch = false) => negotiate(req({ accept }), none, watch).format;
  assert.equal(negotiate(req({}), none).format, 'json');
  assert.equal(format(`${PROTOBUF_MEDIA_TYPE},application/json`), 'protobuf');
  assert.equal(format('application/json, */*'), 'json');
  assert.equal(format('text/html,application/xhtml+xml,*/*;q=0.8'), 'json');
  assert.equal(format('application/json;q=0.5, application/yaml'), 'yaml');
  assert.equal(format('application/yaml;q=0, application/json'), 'json');
  // A watch cannot be YAML: the next clause serves.
  assert.equal(format('application/yaml, application/json', true), 'json');
  assert.throws(() => format('text/plain'), { reason: 'NotAcceptable', message: 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf' });
  assert.throws(() => format('application/yaml', true), { reason: 'NotAcceptable', message: 'only the following media types are accepted: application/json, application/vnd.kubernetes.protobuf' });
});

test("kubectl's Table clauses: JSON or YAML, meta.k8s.io v1 or v1beta1, never protobuf", () => {
  const kubectlGet = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiate(req({ accept: kubectlGet }), new URLSearchParams('includeObject=Object')), { format: 'json', table: true, includeObject: 'Object' });
  const protobufFirst = `${PROTOBUF_MEDIA_TYPE};as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io`;
  assert.deepEqual(negotiate(req({ accept: protobufFirst }), none), { format: 'json', table: true, includeObject: 'Metadata' });
  // A conversion not offered (discovery's aggregated list) falls to the next clause.
  assert.deepEqual(negotiate(req({ accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' }), none).table, false);
  assert.throws(() => negotiate(req({ accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' }), none), { reason: 'NotAcceptable' });
});

test('request bodies: the three formats by Content-Type, 415 for anything else', () => {
  assert.equal(bodyFormat(req({})), 'json');
  assert.equal(bodyFormat(req({ 'content-type': 'application/json; charset=utf-8' })), 'json');
  assert.equal(bodyFormat(req({ 'content-type': 'application/yaml' })), 'yaml');
  assert.equal(bodyFormat(req({ 'content-type': PROTOBUF_MEDIA_TYPE })), 'protobuf');
  assert.throws(() => bodyFormat(req({ 'content-type': 'text/plain' })), {
    reason: 'UnsupportedMediaType',
    code: 415,
    message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  });
});

test("an object body of the wrong kind, or unreadable, gets Kubernetes' decoder texts", () => {
  const json = req({ 'content-type': 'application/json' });
  const yaml = req({ 'content-type': 'application/yaml' });
  const decode = (r: IncomingMessage, body: string | Buffer) => decodeObjectBody(r, Buffer.from(body), NAMESPACE);
  assert.deepEqual(decode(yaml, 'metadata:\n  name: x\n'), { metadata: { name: 'x' } });
  assert.deepEqual(decode(req({ 'content-type': PROTOBUF_MEDIA_TYPE }), encodeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'p' } })), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'p' },
  });
  assert.throws(() => decode(json, '{"apiVersion":"apps/v1","kind":"Deployment"}'), {
    code: 400,
    message: 'Deployment in version "v1" cannot be handled as a Namespace: converting (v1.Deployment) to (core.Namespace): unknown conversion',
  });
  assert.throws(() => decodeObjectBody(json, Buffer.from('{"kind":"Pod"}'), { apiVersion: 'apps/v1', kind: 'Deployment' }), {
    message: 'Pod in version "v1" cannot be handled as a Deployment: no kind "Pod" is registered for version "apps/v1" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"',
  });
  assert.throws(() => decode(json, 'apiVersion: v1\nkind: Namespace\n'), {
    message:
      "the object provided is unrecognized (must be of type Namespace): couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of value (61706956657273696f6e3a2076310a6b696e643a204e616d657370616365 ...)",
  });
  assert.throws(() => decode(json, ''), {
    message: "the object provided is unrecognized (must be of type Namespace): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)",
  });
  // A body that looks like JSON is shown as text, cut at 30 bytes.
  assert.throws(() => decode(json, '{"metadata": {"name": "a-long-name-that-goes-on"'), { message: /\(\{"metadata": \{"name": "a-long- \.\.\.\)$/ });
  assert.throws(() => decode(yaml, 'a: [1\n'), { message: /^the object provided is unrecognized \(must be of type Namespace\): error converting YAML to JSON: / });
  assert.throws(() => decode(req({ 'content-type': PROTOBUF_MEDIA_TYPE }), '{}'), {
    message: /^the object provided is unrecognized \(must be of type Namespace\): provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\] \(\{\}\)$/,
  });
});

test('patch bodies are JSON, or YAML for the YAML patch type', () => {
  assert.deepEqual(decodePatchBody(req({ 'content-type': 'application/merge-patch+json' }), Buffer.from('{"a":1}')), { a: 1 });
  assert.deepEqual(decodePatchBody(req({ 'content-type': 'application/apply-patch+yaml' }), Buffer.from('a: 1\n')), { a: 1 });
  assert.throws(() => decodePatchBody(req({ 'content-type': 'application/merge-patch+json' }), Buffer.from('a: 1')), {
    message: "error decoding the patch: invalid character 'a' looking for beginning of value",
  });
});
