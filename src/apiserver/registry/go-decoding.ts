// What Kubernetes' decoder does to a body before any validation runs, done to the parsed JSON with
// the kind's schema as the Go types' stand-in:
// - `null` means "not set": a null struct field is dropped, a null map value or list item becomes
//   the zero value of its type (`labels: {a: null}` is the label a="", as Go decodes it);
// - a number out of its int32/int64 field's range, or a quantity that does not parse, fails the
//   decode (400) instead of reaching validation.
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { Quantity } from '../../api/quantity.js';
import { resolveSchema as resolve, type Schema } from './schema-definitions.js';
import { cannotDecode, integerError, type IntType } from './decode-errors.js';

const QUANTITY = 'Quantity';
/** Kubernetes' resource.ErrFormatWrong. */
const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// The integer fields Kubernetes declares int64 (in the kinds served); every other one is an int32.
const INT64_FIELDS = new Set([
  'activeDeadlineSeconds',
  'deletionGracePeriodSeconds',
  'expirationSeconds',
  'fsGroup',
  'generation',
  'observedGeneration',
  'runAsGroup',
  'runAsUser',
  'seconds',
  'sizeBytes',
  'startingDeadlineSeconds',
  'supplementalGroups',
  'terminationGracePeriodSeconds',
  'tolerationSeconds',
]);

function types(schema: Schema | undefined): string[] {
  return schema?.type === undefined ? [] : [schema.type].flat();
}

/** Go's zero value of a type, for a null where Go cannot store "unset". */
function zeroValue(schema: Schema | undefined): unknown {
  const { schema: s, name } = resolve(schema);
  if (name === QUANTITY) return '0';
  const t = types(s);
  if (t.includes('object')) return {};
  if (t.includes('string')) return '';
  if (t.includes('integer')) return 0;
  if (t.includes('boolean')) return false;
  if (t.includes('array')) return [];
  return undefined;
}

/** The JSON field names from the top, innermost last: kept as links, spelled out only for an error. */
type GoPath = { up: GoPath; key: string } | undefined;

function names(path: GoPath): string[] {
  const out: string[] = [];
  for (let p = path; p; p = p.up) out.unshift(p.key);
  return out;
}

class Decoder {
  constructor(private readonly r: ResourceType) {}

  /**
   * Walks value (which the schema describes) in place. goStruct is the innermost struct type's name
   * and goPath the JSON field names from the top, which Go's decode errors name a field with.
   */
  walk(value: unknown, schema: Schema | undefined, goStruct: string, goPath: GoPath): void {
    const { schema: s, name } = resolve(schema);
    if (name === QUANTITY) return this.quantity(value);
    if (!s || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      if (!s.items) return;
      value.forEach((item, i) => {
        if (item === null) value[i] = zeroValue(s.items);
        else this.walk(item, s.items, goStruct, goPath);
      });
      return;
    }
    const obj = value as Record<string, unknown>;
    const struct = name ?? goStruct;
    for (const key of Object.keys(obj)) {
      const property = s.properties && Object.prototype.hasOwnProperty.call(s.properties, key) ? s.properties[key] : undefined;
      const member = property ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (obj[key] === null) {
        if (property || !member) delete obj[key];
        else obj[key] = zeroValue(member);
        continue;
      }
      const path = property ? { up: goPath, key } : goPath;
      if (property) this.integer(obj[key], property, struct, path, key);
      this.walk(obj[key], member, struct, path);
    }
  }

  /** Every write's body is walked: the field's Go name is spelled out only for a number out of range. */
  private integer(value: unknown, property: Schema, goStruct: string, goPath: GoPath, key: string): void {
    if (typeof value !== 'number' && !Array.isArray(value)) return; // strings and the rest are the schema's to report
    const { schema } = resolve(property);
    const type: IntType = INT64_FIELDS.has(key) ? 'int64' : 'int32';
    const check = (v: unknown) => {
      if (typeof v !== 'number') return;
      const error = integerError(v, `${goStruct}.${names(goPath).join('.')}`, type);
      if (error) throw cannotDecode(this.r.kind, this.r.version, error);
    };
    if (typeof value === 'number') {
      if (types(schema).includes('integer')) check(value);
    } else if (types(resolve(schema?.items).schema).includes('integer')) value.forEach(check);
  }

  private quantity(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    if (Quantity.parse(value) !== undefined) return;
    const text = String(value).trim();
    const detail = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(text) ? "unable to parse quantity's suffix" : QUANTITY_FORMAT;
    throw cannotDecode(this.r.kind, this.r.version, detail);
  }
}

/** Decodes obj in place as Kubernetes would decode it into the kind's Go type; throws a 400 when Go would fail. */
export function decodeLikeGo(r: ResourceType, obj: KubeObject): void {
  new Decoder(r).walk(obj, { $ref: `#/definitions/${r.kind}` }, r.kind, undefined);
}
