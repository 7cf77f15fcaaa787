// Field selectors with the semantics of Kubernetes' k8s.io/apimachinery/pkg/fields, and the
// per-kind tables of selectable fields the API server offers (each kind's field label conversion
// and GetAttrs in Kubernetes). Only equality is supported, on string renderings of the fields.
import type { KubeObject } from './types.js';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export class FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  /** `valueOf` renders a field of the candidate; an unset field reads as '' (`spec.nodeName=` finds unscheduled pods). */
  matches(valueOf: (field: string) => string): boolean {
    return this.requirements.every((r) => (valueOf(r.field) === r.value) === (r.operator === '='));
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Values may contain `,`, `=` and `\` only escaped with a backslash. */
function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeFieldValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      if (i + 1 >= value.length) throw new Error('invalid field selector: invalid escape sequence: \\');
      const escaped = value[++i];
      if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
        throw new Error(`invalid field selector: invalid escape sequence: \\${escaped}`);
      }
      out += escaped;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. its code point.
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits on commas that are not escaped; escapes stay in the terms. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

// `==` is tried before `=` so that it does not leave a leading `=` in the value.
const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) {
        return { field: term.slice(0, i), operator: op === '!=' ? '!=' : '=', value: term.slice(i + op.length) };
      }
    }
  }
  return undefined;
}

/** Parses `a=b,c!=d` (`==` too). Terms are sorted, as Kubernetes does, so toString() is canonical. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    const requirement = splitTerm(term);
    if (!requirement) throw new Error(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({ ...requirement, value: unescapeFieldValue(requirement.value) });
  }
  return new FieldSelector(requirements);
}

/** How each selectable field of a kind reads from an object, keyed by field label. */
export type SelectableFields = Readonly<Record<string, (obj: KubeObject) => string>>;

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

const NAME: SelectableFields = { 'metadata.name': (o) => str(o.metadata?.name) };
const NAME_AND_NAMESPACE: SelectableFields = { ...NAME, 'metadata.namespace': (o) => str(o.metadata?.namespace) };

const podNodeName = (o: KubeObject): string => str(o.spec?.nodeName);

const POD: SelectableFields = {
  ...NAME_AND_NAMESPACE,
  'spec.nodeName': podNodeName,
  // Old v1 clients' name for spec.nodeName, still accepted by Kubernetes.
  'spec.host': podNodeName,
  'spec.restartPolicy': (o) => str(o.spec?.restartPolicy),
  'spec.schedulerName': (o) => str(o.spec?.schedulerName),
  'spec.serviceAccountName': (o) => str(o.spec?.serviceAccountName),
  'spec.hostNetwork': (o) => String(o.spec?.hostNetwork === true),
  'status.phase': (o) => str(o.status?.phase),
  'status.podIP': (o) => str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
  'status.nominatedNodeName': (o) => str(o.status?.nominatedNodeName),
};

const EVENT: SelectableFields = {
  ...NAME_AND_NAMESPACE,
  'involvedObject.kind': (o) => str(o.involvedObject?.kind),
  'involvedObject.namespace': (o) => str(o.involvedObject?.namespace),
  'involvedObject.name': (o) => str(o.involvedObject?.name),
  'involvedObject.uid': (o) => str(o.involvedObject?.uid),
  'involvedObject.apiVersion': (o) => str(o.involvedObject?.apiVersion),
  'involvedObject.resourceVersion': (o) => str(o.involvedObject?.resourceVersion),
  'involvedObject.fieldPath': (o) => str(o.involvedObject?.fieldPath),
  reason: (o) => str(o.reason),
  reportingComponent: (o) => str(o.reportingComponent),
  // Events written through events.k8s.io have no source; Kubernetes falls back to the reporter.
  source: (o) => str(o.source?.component || o.reportingComponent),
  type: (o) => str(o.type),
};

const REPLICAS: SelectableFields = { ...NAME_AND_NAMESPACE, 'status.replicas': (o) => String(o.status?.replicas ?? 0) };

const BY_KIND: Readonly<Record<string, SelectableFields>> = {
  Pod: POD,
  Event: EVENT,
  Secret: { ...NAME_AND_NAMESPACE, type: (o) => str(o.type) },
  Service: { ...NAME_AND_NAMESPACE, 'spec.clusterIP': (o) => str(o.spec?.clusterIP), 'spec.type': (o) => str(o.spec?.type) },
  // Cluster-scoped kinds with their own table offer no metadata.namespace in Kubernetes.
  Node: { ...NAME, 'spec.unschedulable': (o) => String(o.spec?.unschedulable === true) },
  Namespace: { ...NAME, 'status.phase': (o) => str(o.status?.phase) },
  ReplicaSet: REPLICAS,
  ReplicationController: REPLICAS,
  Job: { ...NAME_AND_NAMESPACE, 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
};

/** The selectable fields of a kind; every other kind offers metadata.name and metadata.namespace. */
export function fieldGetterFor(kind: string): SelectableFields {
  return BY_KIND[kind] ?? NAME_AND_NAMESPACE;
}

/**
 * A predicate for list and watch filtering. Throws, with Kubernetes' message, when the selector
 * names a field the kind does not offer, before any object is looked at.
 */
export function fieldSelectorMatcher(selector: FieldSelector | string, getters: SelectableFields): (obj: KubeObject) => boolean {
  const parsed = typeof selector === 'string' ? parseFieldSelector(selector) : selector;
  for (const r of parsed.requirements) {
    if (!Object.prototype.hasOwnProperty.call(getters, r.field)) throw new Error(`field label not supported: ${r.field}`);
  }
  return (obj) => parsed.matches((field) => getters[field](obj));
}
