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

/** The schema a $ref leads to, with the definition's name (the Go type's), when it is one. */
export function resolveSchema(schema: Schema | undefined): { schema: Schema | undefined; name?: string } {
  let name: string | undefined;
  while (schema?.$ref) {
    name = schema.$ref.slice('#/definitions/'.length);
    schema = definitions[name];
  }
  return { schema, name };
}
