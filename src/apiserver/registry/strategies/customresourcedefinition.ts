// CustomResourceDefinitions (apiextensions.k8s.io/v1): names defaulted and checked, exactly one
// storage version, a structural schema for every version, valid scale paths and printer columns,
// as apiextensions-apiserver's validation refuses them. The storage version is recorded in
// status.storedVersions from the start.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../../api/validation/names.js';
import { JsonPath } from '../../../api/printers/jsonpath.js';
import { storageVersionOf } from '../../../api/custom-resource-definitions.js';
import type { Strategy } from './strategy.js';
import { duplicate, forbidden, immutable, invalid, invalidEach, notSupported, required } from './field-errors.js';
import { compileStructuralSchema } from '../customresources/structural-schema.js';
import { isSimplePathUnder } from '../customresources/simple-paths.js';

const SCOPES = ['Cluster', 'Namespaced'];
const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];
const CONVERSION_STRATEGIES = ['None'];

function applyDefaults(crd: KubeObject): void {
  const spec = crd.spec;
  if (!spec || typeof spec !== 'object') return;
  const names = spec.names;
  if (names && typeof names === 'object' && typeof names.kind === 'string') {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

function validateNames(names: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!names?.plural) causes.push(required(`${field}.plural`));
  else causes.push(...invalidEach(`${field}.plural`, names.plural, isDNS1035Label(names.plural)));
  if (names?.singular) causes.push(...invalidEach(`${field}.singular`, names.singular, isDNS1035Label(names.singular)));
  if (!names?.kind) causes.push(required(`${field}.kind`));
  else causes.push(...invalidEach(`${field}.kind`, names.kind, isDNS1035Label(String(names.kind).toLowerCase())));
  if (!names?.listKind) causes.push(required(`${field}.listKind`));
  else causes.push(...invalidEach(`${field}.listKind`, names.listKind, isDNS1035Label(String(names.listKind).toLowerCase())));
  if (names?.kind && names.kind === names.listKind) causes.push(invalid(`${field}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (names?.shortNames ?? []).forEach((s: string, i: number) => causes.push(...invalidEach(`${field}.shortNames[${i}]`, s, isDNS1035Label(s))));
  (names?.categories ?? []).forEach((s: string, i: number) => causes.push(...invalidEach(`${field}.categories[${i}]`, s, isDNS1035Label(s))));
  return causes;
}

function validateVersion(v: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!v.name) causes.push(required(`${field}.name`));
  else causes.push(...invalidEach(`${field}.name`, v.name, isDNS1035Label(v.name)));
  causes.push(...compileStructuralSchema(v.schema?.openAPIV3Schema, `${field}.schema.openAPIV3Schema`).causes);
  const scale = v.subresources?.scale;
  if (scale) {
    const at = `${field}.subresources.scale`;
    if (!scale.specReplicasPath) causes.push(required(`${at}.specReplicasPath`));
    else if (!isSimplePathUnder(scale.specReplicasPath, '.spec')) causes.push(invalid(`${at}.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec'));
    if (!scale.statusReplicasPath) causes.push(required(`${at}.statusReplicasPath`));
    else if (!isSimplePathUnder(scale.statusReplicasPath, '.status')) causes.push(invalid(`${at}.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status'));
    if (scale.labelSelectorPath && !isSimplePathUnder(scale.labelSelectorPath, '.spec') && !isSimplePathUnder(scale.labelSelectorPath, '.status')) {
      causes.push(invalid(`${at}.labelSelectorPath`, scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
    }
  }
  (v.additionalPrinterColumns ?? []).forEach((c: any, i: number) => {
    const at = `${field}.additionalPrinterColumns[${i}]`;
    if (!c?.name) causes.push(required(`${at}.name`));
    if (!c?.type) causes.push(required(`${at}.type`));
    else if (!COLUMN_TYPES.includes(c.type)) causes.push(notSupported(`${at}.type`, c.type, COLUMN_TYPES));
    if (!c?.jsonPath) causes.push(required(`${at}.JSONPath`));
    else {
      try {
        new JsonPath(`{${c.jsonPath}}`);
      } catch (err) {
        causes.push(invalid(`${at}.JSONPath`, c.jsonPath, `must be a simple json path: ${(err as Error).message}`));
      }
    }
  });
  return causes;
}

function validate(crd: KubeObject): StatusCause[] {
  const spec = crd.spec ?? {};
  const causes: StatusCause[] = [];
  const expected = `${spec.names?.plural}.${spec.group}`;
  if (crd.metadata.name !== expected) causes.push(invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  if (!spec.group) causes.push(required('spec.group'));
  else {
    causes.push(...invalidEach('spec.group', spec.group, isDNS1123Subdomain(spec.group)));
    if (!spec.group.includes('.')) causes.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  causes.push(...validateNames(spec.names, 'spec.names'));
  if (!SCOPES.includes(spec.scope)) causes.push(notSupported('spec.scope', spec.scope ?? '', SCOPES));
  const versions: any[] = spec.versions ?? [];
  if (versions.length === 0) causes.push(required('spec.versions', 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v?.storage).length !== 1) {
    causes.push(invalid('spec.versions', versions.map((v) => v?.name), 'must have exactly one version marked as storage version'));
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (v?.name && seen.has(v.name)) causes.push(duplicate(`spec.versions[${i}].name`, v.name));
    seen.add(v?.name);
    causes.push(...validateVersion(v ?? {}, `spec.versions[${i}]`));
  });
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && !CONVERSION_STRATEGIES.includes(strategy)) causes.push(notSupported('spec.conversion.strategy', strategy, CONVERSION_STRATEGIES));
  if (spec.preserveUnknownFields === true) causes.push(invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  return causes;
}

function validateUpdate(crd: KubeObject, old: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (crd.spec?.group !== old.spec?.group) causes.push(immutable('spec.group', crd.spec?.group));
  if (crd.spec?.names?.plural !== old.spec?.names?.plural) causes.push(immutable('spec.names.plural', crd.spec?.names?.plural));
  if (crd.spec?.scope !== old.spec?.scope) causes.push(immutable('spec.scope', crd.spec?.scope));
  // Objects stored in a version must stay readable: it cannot go while status still lists it.
  const defined = new Set(((crd.spec?.versions as any[]) ?? []).map((v) => v?.name));
  for (const stored of (crd.status?.storedVersions as string[] | undefined) ?? []) {
    if (!defined.has(stored)) causes.push(forbidden('status.storedVersions', `must appear in spec.versions: ${stored}`));
  }
  return causes;
}

export const customResourceDefinitionStrategy: Strategy = {
  applyDefaults,
  validate,
  validateUpdate,
  initialStatus(crd) {
    const storage = storageVersionOf(crd);
    return { storedVersions: storage ? [storage] : [], conditions: [], acceptedNames: { plural: '', kind: '' } };
  },
  prepareForUpdate(crd, old) {
    // Versions the definition has stored objects in stay recorded.
    const storage = storageVersionOf(crd);
    const stored: string[] = [...((old.status?.storedVersions as string[] | undefined) ?? [])];
    if (storage && !stored.includes(storage)) stored.push(storage);
    if (crd.status) crd.status.storedVersions = stored;
  },
};
