#!/usr/bin/env node
// Derives the JSON Schemas the API server validates requests with, from the TypeScript definitions
// of the Kubernetes API in `kubernetes-types`. Run once with `node scripts/generate-schemas.mjs`;
// the output in src/apiserver/registry/schemas/ is committed:
// - kubernetes.json: every kind's schema, sharing one `definitions` map;
// - validators.ts: ajv's standalone validation code for every kind, generated here because compiling
//   the pod schema at run time takes 100-200 ms, too long for a daemon that must answer at once;
// and then, by generate-openapi-docs.mjs, what the OpenAPI documents add to the schemas.
//
// The kinds come from the resource catalogue (src/api/resources.ts), so a kind added there gets a
// schema on the next run. Everything `kubernetes-types` cannot express is corrected here:
// - Kubernetes' API has no floating-point fields (API conventions forbid them), so every `number`
//   is an int32/int64: `integer`. That also turns IntOrString (`number | string`) into integer|string.
// - Quantity is a string or a number and must parse as a quantity.
// - Opaque values (FieldsV1) accept any object.
// - Fields Kubernetes defaults before validating are not required (RoleRef.apiGroup).
// - Enumerations are only in prose in the upstream descriptions; the ones Kubernetes validates are
//   listed below, in the order Kubernetes prints them in "supported values".
import { writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { loadResources } from './resource-catalogue.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/apiserver/registry/schemas');
const SCHEMA_ID = 'kubernetes';

// Kubernetes' quantity grammar, as its decoder reports it.
const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

const ENUMS = {
  'PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'PodSpec.preemptionPolicy': ['Never', 'PreemptLowerPriority'],
  'Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'Container.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'Container.restartPolicy': ['Always'],
  'EphemeralContainer.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'EphemeralContainer.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'ContainerPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'ServicePort.protocol': ['SCTP', 'TCP', 'UDP'],
  'EndpointPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'DiscoveryV1EndpointPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'HTTPGetAction.scheme': ['HTTP', 'HTTPS'],
  'ServiceSpec.type': ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  'ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'ServiceSpec.internalTrafficPolicy': ['Cluster', 'Local'],
  'ServiceSpec.ipFamilyPolicy': ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
  'Toleration.operator': ['Equal', 'Exists'],
  'Toleration.effect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'Taint.effect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'LabelSelectorRequirement.operator': ['In', 'NotIn', 'Exists', 'DoesNotExist'],
  'NodeSelectorRequirement.operator': ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
  'DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'JobSpec.completionMode': ['NonIndexed', 'Indexed'],
  'JobSpec.podReplacementPolicy': ['TerminatingOrFailed', 'Failed'],
  'CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'HTTPIngressPath.pathType': ['Exact', 'ImplementationSpecific', 'Prefix'],
  'MetricSpec.type': ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'],
  'MetricTarget.type': ['AverageValue', 'Utilization', 'Value'],
  'HPAScalingRules.selectPolicy': ['Disabled', 'Max', 'Min'],
  'HPAScalingPolicy.type': ['Percent', 'Pods'],
  'NamespaceStatus.phase': ['Active', 'Terminating'],
  'PodStatus.phase': ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
};

/** `networking.k8s.io/v1` is `kubernetes-types/networking/v1`; the core group is `core`. */
function typesFile(r) {
  const dir = r.group ? r.group.split('.')[0] : 'core';
  return join(root, 'node_modules/kubernetes-types', dir, `${r.version}.d.ts`);
}

function generate(resources) {
  const generators = new Map();
  const definitions = {};
  for (const r of resources) {
    const path = typesFile(r);
    if (!generators.has(path)) {
      generators.set(path, createGenerator({ path, jsDoc: 'none', skipTypeCheck: true, topRef: true, expose: 'export', additionalProperties: false }));
    }
    const schema = qualifyClashes(generators.get(path).createSchema(r.kind), definitions, r);
    for (const [name, def] of Object.entries(schema.definitions)) {
      if (name in definitions && JSON.stringify(definitions[name]) !== JSON.stringify(def)) {
        throw new Error(`two different definitions named ${name} (the second from ${path}); qualify them before merging`);
      }
      definitions[name] = def;
    }
  }
  return definitions;
}

/**
 * Some groups reuse a core type's name for a different type (discovery/v1 EndpointPort, whose port
 * is optional, beside core/v1's): the later group's one is renamed `DiscoveryV1EndpointPort`, and
 * the references to it within that kind's schema follow.
 */
function qualifyClashes(schema, definitions, r) {
  const prefix = `${r.group.split('.')[0].replace(/^./, (c) => c.toUpperCase())}${r.version.toUpperCase()}`;
  const clashes = Object.keys(schema.definitions).filter(
    (name) => name in definitions && !name.startsWith(prefix) && JSON.stringify(definitions[name]) !== JSON.stringify(schema.definitions[name]),
  );
  if (clashes.length === 0 || !r.group) return schema;
  let text = JSON.stringify(schema);
  for (const name of clashes) {
    text = text.replaceAll(`"#/definitions/${name}"`, `"#/definitions/${prefix}${name}"`);
  }
  const renamed = JSON.parse(text);
  for (const name of clashes) {
    renamed.definitions[`${prefix}${name}`] = renamed.definitions[name];
    delete renamed.definitions[name];
  }
  return renamed;
}

function numbersToIntegers(node) {
  if (!node || typeof node !== 'object') return;
  if (node.type === 'number') node.type = 'integer';
  else if (Array.isArray(node.type)) node.type = node.type.map((t) => (t === 'number' ? 'integer' : t));
  Object.values(node).forEach(numbersToIntegers);
}

function correct(definitions) {
  numbersToIntegers(definitions);
  definitions.Quantity = { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
  for (const def of Object.values(definitions)) {
    if (def.type === 'object' && !def.properties && def.additionalProperties === false) {
      delete def.additionalProperties;
    }
  }
  // apiextensions' JSON is any JSON value (a schema's default, enum members, example).
  definitions.JSON = {};
  // kubernetes-types leaves out JSONSchemaProps' vendor extensions, which structural schemas use.
  Object.assign(definitions.JSONSchemaProps.properties, {
    'x-kubernetes-embedded-resource': { type: 'boolean' },
    'x-kubernetes-int-or-string': { type: 'boolean' },
    'x-kubernetes-list-map-keys': { type: 'array', items: { type: 'string' } },
    'x-kubernetes-list-type': { type: 'string' },
    'x-kubernetes-map-type': { type: 'string' },
    'x-kubernetes-preserve-unknown-fields': { type: 'boolean' },
    'x-kubernetes-validations': {
      type: 'array',
      items: {
        type: 'object',
        properties: Object.fromEntries(['fieldPath', 'message', 'messageExpression', 'reason', 'rule'].map((f) => [f, { type: 'string' }]).concat([['optionalOldSelf', { type: 'boolean' }]])),
        required: ['rule'],
        additionalProperties: false,
      },
    },
  });
  // Kubernetes defaults a binding's roleRef.apiGroup (rbac.authorization.k8s.io) before it validates.
  definitions.RoleRef.required = definitions.RoleRef.required.filter((f) => f !== 'apiGroup');
  // A status's counters and flags are Go values (PodDisruptionBudgetStatus.expectedPods): absent on
  // the wire they decode as zero, and protobuf leaves zeros out, so Kubernetes never finds them missing.
  for (const [name, def] of Object.entries(definitions)) {
    if (!name.endsWith('Status') || !def.required) continue;
    def.required = def.required.filter((f) => !['integer', 'boolean'].includes(def.properties?.[f]?.type));
    if (!def.required.length) delete def.required;
  }
  for (const [where, values] of Object.entries(ENUMS)) {
    const [name, property] = where.split('.');
    const prop = definitions[name]?.properties?.[property];
    if (!prop || prop.type !== 'string') throw new Error(`enum target ${where} is not a string property`);
    prop.enum = values;
  }
}

/**
 * One exported validator per kind. The options must stay those the error mapping in
 * schema-validator.ts expects: every error reported (allErrors), `type` lists allowed.
 */
function standaloneValidators(doc, kinds) {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, inlineRefs: false, code: { source: true, esm: true } });
  ajv.addSchema(doc);
  const exports = Object.fromEntries(kinds.map((kind) => [kind, `${SCHEMA_ID}#/definitions/${kind}`]));
  return standaloneCode(ajv, exports);
}

const resources = await loadResources();
const definitions = generate(resources);
correct(definitions);
const doc = { $id: SCHEMA_ID, definitions: Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]])) };
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'kubernetes.json'), JSON.stringify(doc) + '\n');
const header =
  '// @ts-nocheck\n' +
  '// Generated by scripts/generate-schemas.mjs from kubernetes.json (ajv standalone code): do not edit.\n';
writeFileSync(join(outDir, 'validators.ts'), header + standaloneValidators(doc, resources.map((r) => r.kind)) + '\n');
console.log(`${Object.keys(definitions).length} definitions for ${resources.length} kinds written to ${outDir}`);
// The OpenAPI documents' names and descriptions follow the schemas: regenerate them too.
execFileSync(process.execPath, [join(root, 'scripts/generate-openapi-docs.mjs')], { stdio: 'inherit' });
