// The kinds' JSON Schemas (schemas/kubernetes.json) as the code that walks an object along its
// schema reads them: one shared map of definitions, joined by $refs.
import schemaDocument from './schemas/kubernetes.json' with { type: 'json' };

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
}

export const definitions = (schemaDocument as unknown as { definitions: Record<string, Schema> }).definitions;

export interface Resolved {
  schema: Schema | undefined;
  name?: string;
}

const NONE: Resolved = { schema: undefined };
// Every write's body is walked along its schema, node by node: each schema node is resolved once.
const resolved = new WeakMap<Schema, Resolved>();

/** The schema a $ref leads to, with the definition's name (the Go type's), when it is one. */
export function resolveSchema(schema: Schema | undefined): Resolved {
  if (!schema) return NONE;
  let r = resolved.get(schema);
  if (!r) {
    let name: string | undefined;
    let s: Schema | undefined = schema;
    while (s?.$ref) {
      name = s.$ref.slice('#/definitions/'.length);
      s = definitions[name];
    }
    r = { schema: s, name };
    resolved.set(schema, r);
  }
  return r;
}
