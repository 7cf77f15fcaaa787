// Validation causes worded as Kubernetes' field errors (k8s.io/apimachinery/pkg/util/validation/field):
// the message is the error body without the field, e.g. `Invalid value: "x": must be integer`, so
// that `errors.invalid` prints `spec.replicas: Invalid value: "x": must be integer` like kubectl shows.
import type { StatusCause } from '../../../api/types.js';

/** A value already rendered the way Go's `%#v` prints it (Kubernetes' messages show Go syntax). */
export class GoSyntax {
  constructor(readonly text: string) {}
}

/** Go's `%#v` of a `map[string]string`: keys sorted, as Go prints maps. */
export function goStringMap(map: Record<string, string> | undefined | null): GoSyntax {
  if (map == null) return new GoSyntax('map[string]string(nil)');
  const entries = Object.keys(map)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`);
  return new GoSyntax(`map[string]string{${entries.join(', ')}}`);
}

/** Go's `%#v` of a `[]string`. */
export function goStringSlice(list: readonly string[] | undefined | null): GoSyntax {
  if (list == null) return new GoSyntax('[]string(nil)');
  return new GoSyntax(`[]string{${list.map((s) => JSON.stringify(s)).join(', ')}}`);
}

/** How a bad value appears in a message: strings quoted, numbers and booleans bare, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value instanceof GoSyntax) return value.text;
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function withDetail(head: string, detail: string | undefined): string {
  return detail ? `${head}: ${detail}` : head;
}

export function required(field: string, detail?: string): StatusCause {
  return { field, reason: 'FieldValueRequired', message: withDetail('Required value', detail) };
}

export function invalid(field: string, value: unknown, detail?: string): StatusCause {
  return { field, reason: 'FieldValueInvalid', message: withDetail(`Invalid value: ${formatValue(value)}`, detail) };
}

/** The value does not have the schema's type (Kubernetes' FieldValueTypeInvalid). */
export function typeInvalid(field: string, value: unknown, detail: string): StatusCause {
  return { field, reason: 'FieldValueTypeInvalid', message: withDetail(`Invalid value: ${formatValue(value)}`, detail) };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): StatusCause {
  const detail = supported.length ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : undefined;
  return { field, reason: 'FieldValueNotSupported', message: withDetail(`Unsupported value: ${formatValue(value)}`, detail) };
}

export function duplicate(field: string, value: unknown, detail?: string): StatusCause {
  return { field, reason: 'FieldValueDuplicate', message: withDetail(`Duplicate value: ${formatValue(value)}`, detail) };
}

export function notFound(field: string, value: unknown): StatusCause {
  return { field, reason: 'FieldValueNotFound', message: `Not found: ${formatValue(value)}` };
}

export function forbidden(field: string, detail: string): StatusCause {
  return { field, reason: 'FieldValueForbidden', message: withDetail('Forbidden', detail) };
}

export function tooLong(field: string, maxBytes: number): StatusCause {
  return { field, reason: 'FieldValueTooLong', message: `Too long: must have at most ${maxBytes} bytes` };
}

/**
 * A field the schema does not know, worded as Kubernetes' strict field validation reports it
 * (`unknown field "spec.foo"`, with the full path in the message as well as in `field`).
 */
export function unknownField(field: string): StatusCause {
  return { field, reason: 'FieldValueInvalid', message: `unknown field ${JSON.stringify(field)}` };
}

/** `validation.ValidateImmutableField`: an update changed a field that is fixed after create. */
export function immutable(field: string, value: unknown): StatusCause {
  return invalid(field, value, 'field is immutable');
}

/** Each message of a `validation.IsXxx` check as an Invalid cause on one field. */
export function invalidEach(field: string, value: unknown, messages: readonly string[]): StatusCause[] {
  return messages.map((m) => invalid(field, value, m));
}

/** `validation.ValidateNonnegativeField`. */
export function validateNonnegative(field: string, value: number | undefined | null): StatusCause[] {
  return value != null && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** `validation.IsValidPortNum`: a port number is 1 to 65535. */
export function validatePortNumber(field: string, port: number | undefined | null): StatusCause[] {
  return port != null && (port < 1 || port > 65535) ? [invalid(field, port, 'must be between 1 and 65535, inclusive')] : [];
}
