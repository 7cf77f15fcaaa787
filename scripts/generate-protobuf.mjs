#!/usr/bin/env node
// Derives the protobuf field tables the API speaks `application/vnd.kubernetes.protobuf` with, from
// the message definitions kubectl itself carries. Run `node scripts/generate-protobuf.mjs [kubectl]`;
// the output, src/api/protobuf/messages.json, is committed, so the build needs neither kubectl nor
// the internet.
//
// Every kubectl binary embeds the `generated.proto` of each k8s.io/api group version and of
// apimachinery as a gzipped, serialized FileDescriptorProto (gogo-protobuf's registration data).
// This script finds them by scanning the binary for gzip members whose first field (the file name)
// ends in `generated.proto`, decodes them, and keeps the packages of every group version the server
// serves (the resource catalogue, src/api/resources.ts, so a kind added there gets its codec on the
// next run) and of the subresources' and reviews' kinds, with what those reference.
//
// Output: { kinds: { "apiVersion/Kind": message }, lists: [message, ...], messages: { message:
// [field, ...] } }. `lists` are Go slice types that protobuf wraps in a message of one repeated
// `items` field (Verbs, ExtraValue): a JSON list, where a struct of one `items` field
// (DownwardAPIProjection) is a JSON object; kubernetes-types, which has interfaces for the structs
// only, tells them apart. A field
// being [number, jsonName, type, flags, mapKeyType?]: `type` a scalar (string, int64, bytes...) or
// a message's full name; flags 1 = repeated, 2 = map (type is the value's), 4 = a Go value rather
// than a pointer (gogoproto.nullable=false: always on the wire, so its zero value means unset),
// 8 = an embedded struct whose fields JSON inlines into the parent (Volume's VolumeSource,
// Probe's ProbeHandler). The descriptors cannot tell `json:",inline"` apart from an ordinary field
// named after its type (WeightedPodAffinityTerm's podAffinityTerm): the JSON field names in
// `kubernetes-types` decide, and where it lacks the message, the proto name being the type's.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, constants } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { loadResources } from './resource-catalogue.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const descriptor = require('protobufjs/ext/descriptor');
const { Reader } = require('protobufjs/minimal');
const outFile = join(root, 'src/api/protobuf/messages.json');
const kubectl = process.argv[2] ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

// Group versions whose kinds travel through subresources and review APIs rather than the catalogue:
// autoscaling/v1 Scale, policy/v1 Eviction, authentication.k8s.io/v1 TokenRequest and TokenReview,
// authorization.k8s.io/v1's access reviews; RBAC's, whose kinds the authorizer reads; and the
// resource metrics API's NodeMetrics and PodMetrics, which are served from memory.
const EXTRA_GROUP_VERSIONS = ['autoscaling/v1', 'policy/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'metrics.k8s.io/v1beta1'];
// apimachinery's kinds (Status, DeleteOptions, WatchEvent...) belong to every group version; they
// are listed under `v1`, which is what Status says it is.
const META_PACKAGE = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const META_KINDS = ['Status', 'WatchEvent', 'DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'APIResourceList', 'APIGroupList', 'APIGroup', 'APIVersions'];

const SCALARS = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool',
  9: 'string', 12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};
const TYPE_MESSAGE = 11;
const LABEL_REPEATED = 3;
// gogoproto's FieldOptions extensions `nullable` and `customname` (the Go field's name).
const GOGO_NULLABLE = 65001;
const GOGO_CUSTOMNAME = 65004;

/** The proto package of a group version, by the k8s.io/api directory convention (`networking.k8s.io` is `networking`). */
function packageOf(apiVersion) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  // The resource metrics API lives in k8s.io/metrics, not k8s.io/api.
  if (group === 'metrics.k8s.io') return `k8s.io.metrics.pkg.apis.metrics.${version}`;
  return `k8s.io.api.${group ? group.split('.')[0] : 'core'}.${version}`;
}

function embeddedDescriptors(path) {
  const binary = readFileSync(path);
  const gzip = Buffer.from([0x1f, 0x8b, 0x08]);
  const files = [];
  for (let at = binary.indexOf(gzip); at >= 0; at = binary.indexOf(gzip, at + 1)) {
    let data;
    try {
      // A member's end is not known up front: inflate what is there and stop at the member's end.
      data = gunzipSync(binary.subarray(at, at + 4 * 1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    if (data[0] !== 0x0a) continue;
    const nameLength = data[1];
    if (!data.subarray(2, 2 + nameLength).toString('latin1').endsWith('/generated.proto')) continue;
    files.push(data);
  }
  return files;
}

/** The gogoproto options of a field; protobufjs drops unknown extensions, so the raw bytes are read. */
function gogoOptions(rawOptions) {
  const out = { nullable: true, customName: '' };
  let at = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = rawOptions[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  while (at < rawOptions.length) {
    const key = varint();
    const wire = key % 8;
    const number = Math.floor(key / 8);
    if (wire === 0) {
      const value = varint();
      if (number === GOGO_NULLABLE) out.nullable = value !== 0;
    } else if (wire === 2) {
      const length = varint();
      if (number === GOGO_CUSTOMNAME) out.customName = Buffer.from(rawOptions.subarray(at, at + length)).toString();
      at += length;
    }
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unexpected wire type ${wire} in field options`);
  }
  return out;
}

/** Field options' raw bytes, by message and field name, read beside protobufjs' decoding. */
function rawFieldOptions(fileBytes) {
  const out = new Map();
  const walk = (bytes, visit) => {
    const r = new Reader(bytes);
    while (r.pos < r.len) {
      const key = r.uint32();
      if ((key & 7) === 2) visit(key >>> 3, r.bytes());
      else r.skipType(key & 7);
    }
  };
  const message = (bytes, prefix) => {
    let name;
    const fields = [];
    const nested = [];
    walk(bytes, (n, b) => {
      if (n === 1) name = Buffer.from(b).toString();
      else if (n === 2) fields.push(b);
      else if (n === 3) nested.push(b);
    });
    const full = `${prefix}.${name}`;
    for (const f of fields) {
      let fieldName;
      let options = new Uint8Array();
      walk(f, (n, b) => {
        if (n === 1) fieldName = Buffer.from(b).toString();
        else if (n === 8) options = b;
      });
      out.set(`${full}.${fieldName}`, options);
    }
    for (const m of nested) message(m, full);
  };
  let pkg = '';
  const messages = [];
  walk(fileBytes, (n, b) => {
    if (n === 2) pkg = Buffer.from(b).toString();
    else if (n === 4) messages.push(b);
  });
  for (const m of messages) message(m, pkg);
  return out;
}

function tables(files) {
  const messages = new Map();
  const packages = new Map();
  for (const bytes of files) {
    const file = descriptor.FileDescriptorProto.decode(bytes);
    const options = rawFieldOptions(bytes);
    const add = (m, prefix) => {
      const full = `${prefix}.${m.name}`;
      const entry = m.options?.mapEntry;
      messages.set(full, { name: full, mapEntry: !!entry, fields: m.field, options, package: file.package });
      for (const n of m.nestedType) add(n, full);
    };
    for (const m of file.messageType) add(m, file.package);
    packages.set(file.package, file.messageType.map((m) => m.name));
  }
  return { messages, packages };
}

/** The JSON field names of each interface in a kubernetes-types file (`k8s.io.api.core.v1` is core/v1.d.ts). */
const jsonFieldsCache = new Map();
function jsonFields(pkg) {
  if (jsonFieldsCache.has(pkg)) return jsonFieldsCache.get(pkg);
  const m = /^k8s\.io\.(?:api\.([a-z0-9]+)|apimachinery\.pkg\.apis\.(meta))\.(v[a-z0-9]+)$/.exec(pkg);
  const file = m && join(root, 'node_modules/kubernetes-types', m[1] ?? m[2], `${m[3]}.d.ts`);
  const interfaces = new Map();
  if (file && existsSync(file)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    for (const node of source.statements) {
      if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, new Set(node.members.map((member) => member.name?.getText(source))));
    }
  }
  jsonFieldsCache.set(pkg, interfaces);
  return interfaces;
}

function isInlined(f, msg, gogo, typeName) {
  const typeShortName = typeName.slice(typeName.lastIndexOf('.') + 1);
  if (gogo.nullable || gogo.customName !== typeShortName || f.repeated) return false;
  const parent = jsonFields(msg.package).get(msg.name.slice(msg.package.length + 1));
  if (parent) return !parent.has(f.name);
  return f.name === typeShortName[0].toLowerCase() + typeShortName.slice(1);
}

function fieldRow(f, msg, messages) {
  const gogo = gogoOptions(msg.options.get(`${msg.name}.${f.name}`) ?? new Uint8Array());
  const flags = (f.label === LABEL_REPEATED ? 1 : 0) | (gogo.nullable ? 0 : 4);
  // kubectl's proto field names are the JSON names (go-to-protobuf names them after the json tag).
  if (f.type !== TYPE_MESSAGE) return [f.number, f.name, SCALARS[f.type] ?? fail(`field ${msg.name}.${f.name} has type ${f.type}`), flags];
  const typeName = f.typeName.replace(/^\./, '');
  const target = messages.get(typeName);
  if (target?.mapEntry) {
    const [key, value] = [target.fields.find((x) => x.number === 1), target.fields.find((x) => x.number === 2)];
    const valueType = value.type === TYPE_MESSAGE ? value.typeName.replace(/^\./, '') : SCALARS[value.type];
    return [f.number, f.name, valueType, 2 | (flags & 4), SCALARS[key.type]];
  }
  return [f.number, f.name, typeName, flags | (isInlined(f, msg, gogo, typeName) ? 8 : 0)];
}

function fail(message) {
  throw new Error(message);
}

// Packages the kubectl binaries here do not embed (kubectl never links certificates.k8s.io/v1's
// generated.proto): their messages as Kubernetes' staging/src/k8s.io/api/certificates/v1/generated.proto
// numbers them, in the rows' format.
const CERTS = 'k8s.io.api.certificates.v1';
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const SUPPLEMENT = {
  [CERTS]: {
    CertificateSigningRequest: [[1, 'metadata', `${META}.ObjectMeta`, 4], [2, 'spec', `${CERTS}.CertificateSigningRequestSpec`, 4], [3, 'status', `${CERTS}.CertificateSigningRequestStatus`, 4]],
    CertificateSigningRequestList: [[1, 'metadata', `${META}.ListMeta`, 4], [2, 'items', `${CERTS}.CertificateSigningRequest`, 5]],
    CertificateSigningRequestSpec: [
      [1, 'request', 'bytes', 0], [2, 'username', 'string', 0], [3, 'uid', 'string', 0], [4, 'groups', 'string', 1],
      [5, 'usages', 'string', 1], [6, 'extra', `${CERTS}.ExtraValue`, 2, 'string'], [7, 'signerName', 'string', 0], [8, 'expirationSeconds', 'int32', 0],
    ],
    CertificateSigningRequestStatus: [[1, 'conditions', `${CERTS}.CertificateSigningRequestCondition`, 5], [2, 'certificate', 'bytes', 0]],
    CertificateSigningRequestCondition: [
      [1, 'type', 'string', 0], [2, 'reason', 'string', 0], [3, 'message', 'string', 0],
      [4, 'lastUpdateTime', `${META}.Time`, 4], [5, 'lastTransitionTime', `${META}.Time`, 4], [6, 'status', 'string', 0],
    ],
    ExtraValue: [[1, 'items', 'string', 1]],
  },
};

const JSON_ONLY = new Set(['apiextensions.k8s.io/v1']);

const resources = await loadResources();
const apiVersions = [...new Set([...resources.map((r) => (r.group ? `${r.group}/${r.version}` : r.version)), ...EXTRA_GROUP_VERSIONS])];
const { messages, packages } = tables(embeddedDescriptors(kubectl));

const kinds = {};
for (const apiVersion of apiVersions) {
  const pkg = packageOf(apiVersion);
  if (SUPPLEMENT[pkg]) {
    for (const name of Object.keys(SUPPLEMENT[pkg])) if (SUPPLEMENT[pkg][name][0][1] === 'metadata') kinds[`${apiVersion}/${name}`] = `${pkg}.${name}`;
    continue;
  }
  // kubectl links no apiextensions-apiserver types: CustomResourceDefinitions travel as JSON only.
  if (JSON_ONLY.has(apiVersion)) continue;
  const names = packages.get(pkg) ?? fail(`${kubectl} has no package ${pkg} (for ${apiVersion})`);
  // A kind is a top-level message with object or list metadata, or a review with a spec.
  for (const name of names) {
    const fields = messages.get(`${pkg}.${name}`).fields;
    if (fields.some((f) => f.name === 'metadata' && f.number === 1)) kinds[`${apiVersion}/${name}`] = `${pkg}.${name}`;
  }
}
for (const name of META_KINDS) kinds[`v1/${name}`] = `${META_PACKAGE}.${name}`;

// Every message reachable from the kinds, in a stable order.
const out = {};
const queue = Object.values(kinds);
while (queue.length) {
  const name = queue.shift();
  if (name in out) continue;
  const supplied = SUPPLEMENT[name.slice(0, name.lastIndexOf('.'))]?.[name.slice(name.lastIndexOf('.') + 1)];
  if (supplied) {
    out[name] = supplied;
    for (const row of supplied) if (messages.has(row[2]) || row[2].startsWith(CERTS)) queue.push(row[2]);
    continue;
  }
  const msg = messages.get(name) ?? fail(`message ${name} is not in ${kubectl}`);
  out[name] = msg.fields.map((f) => fieldRow(f, msg, messages));
  for (const row of out[name]) if (messages.has(row[2])) queue.push(row[2]);
}
const lists = Object.keys(out)
  .filter((name) => {
    const fields = out[name];
    const pkg = messages.get(name)?.package ?? name.slice(0, name.lastIndexOf('.'));
    return fields.length === 1 && fields[0][1] === 'items' && (fields[0][3] & 1) !== 0 && !jsonFields(pkg).has(name.slice(pkg.length + 1));
  })
  .sort();
const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
mkdirSync(dirname(outFile), { recursive: true });
const body = [
  '{',
  `"kinds": ${JSON.stringify(Object.fromEntries(Object.entries(kinds).sort()))},`,
  `"lists": ${JSON.stringify(lists)},`,
  '"messages": {',
  Object.entries(sorted).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n'),
  '}}',
].join('\n');
writeFileSync(outFile, body + '\n');
console.log(`${Object.keys(kinds).length} kinds, ${Object.keys(sorted).length} messages -> ${outFile}`);
