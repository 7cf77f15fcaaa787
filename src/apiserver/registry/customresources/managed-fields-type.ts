// The type server-side apply merges a custom object by, read from its structural schema as
// Kubernetes derives it: objects with properties are structs, with additionalProperties maps,
// lists atomic unless x-kubernetes-list-type says set or map (with its keys), metadata ObjectMeta.
import { typeOfKind, type TypeNode } from '../fieldmanager/typed.js';
import type { StructuralSchema } from './structural-schema.js';

const SCALAR: TypeNode = { t: 'scalar' };
const UNTYPED: TypeNode = { t: 'untyped' };

export function managedFieldsType(root: StructuralSchema): TypeNode {
  return typeOf(root, true);
}

function typeOf(s: StructuralSchema, resource: boolean): TypeNode {
  if (s.intOrString) return SCALAR;
  if (s.type === 'array') {
    const elem = s.items ? typeOf(s.items, false) : UNTYPED;
    if (s.listType === 'set') return { t: 'list', tag: { type: 'set' }, elem };
    if (s.listType === 'map') return { t: 'list', tag: { type: 'map', keys: s.listMapKeys ?? [] }, elem };
    return { t: 'list', elem };
  }
  if (s.type && s.type !== 'object') return SCALAR;
  const withMeta = resource || s.embeddedResource;
  if (s.properties || withMeta) {
    const props = s.properties ?? new Map<string, StructuralSchema>();
    const fields = new Map<string, TypeNode>();
    return {
      t: 'struct',
      name: '',
      atomic: s.mapType === 'atomic',
      field(name: string): TypeNode {
        let f = fields.get(name);
        if (!f) {
          const sub = props.get(name);
          if (withMeta && name === 'metadata') f = typeOfKind('ObjectMeta') ?? UNTYPED;
          else if (withMeta && (name === 'apiVersion' || name === 'kind')) f = SCALAR;
          else f = sub ? typeOf(sub, false) : UNTYPED;
          fields.set(name, f);
        }
        return f;
      },
    };
  }
  if (s.additionalProperties) {
    return { t: 'map', atomic: s.mapType === 'atomic', elem: s.additionalProperties === true ? UNTYPED : typeOf(s.additionalProperties, false) };
  }
  return UNTYPED;
}
