// The strategy of one served version of a custom resource: its definition's structural schema
// prunes unknown fields, applies defaults and validates, as apiextensions-apiserver's
// customResourceStrategy does; the scale subresource's replica path must hold an integer.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from '../strategies/strategy.js';
import { invalid } from '../strategies/field-errors.js';
import { compileSchemaNode, type StructuralSchema } from './structural-schema.js';
import { applyDefaults, prune, validateValue } from './schema-values.js';
import { fieldAtPath } from './simple-paths.js';

// ObjectMeta as a custom object carries it: what the Go type does not have is dropped, as
// decoding into ObjectMeta drops it; what has the wrong type is refused.
const STRING = { type: 'string' };
const STRING_MAP = { type: 'object', additionalProperties: STRING };
const OBJECT_META = compileSchemaNode({
        type: 'object',
        properties: {
          name: STRING,
          generateName: STRING,
          namespace: STRING,
          uid: STRING,
          resourceVersion: STRING,
          selfLink: STRING,
          generation: { type: 'integer' },
          creationTimestamp: { type: 'string', nullable: true },
          deletionTimestamp: STRING,
          deletionGracePeriodSeconds: { type: 'integer' },
          labels: STRING_MAP,
          annotations: STRING_MAP,
          finalizers: { type: 'array', items: STRING },
          ownerReferences: {
            type: 'array',
            items: {
              type: 'object',
              required: ['apiVersion', 'kind', 'name', 'uid'],
              properties: { apiVersion: STRING, kind: STRING, name: STRING, uid: STRING, controller: { type: 'boolean' }, blockOwnerDeletion: { type: 'boolean' } },
            },
          },
          managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
});

/** A custom object's metadata, pruned to ObjectMeta's fields; the causes of any of the wrong type. */
export function checkCustomObjectMeta(obj: KubeObject): StatusCause[] {
  prune(OBJECT_META, obj.metadata, false);
  return validateValue(OBJECT_META, obj.metadata, 'metadata');
}

export interface CustomVersionBehaviour {
  schema: StructuralSchema;
  specReplicasPath?: string;
}

export function customResourceStrategy(version: CustomVersionBehaviour): Strategy {
  return {
    applyDefaults(obj) {
      prune(version.schema, obj);
      applyDefaults(version.schema, obj);
    },
    validate(obj) {
      // metadata is ObjectMeta, checked apart; the schema may only narrow its name.
      const { metadata, ...rest } = obj;
      const names = Object.fromEntries(Object.entries({ name: metadata.name, generateName: metadata.generateName }).filter(([, v]) => v !== undefined));
      const causes = validateValue(version.schema, { ...rest, metadata: names });
      // The scale subresource reads the replica count: it must be one, whatever the schema says.
      const field = version.specReplicasPath?.slice(1);
      if (field && !causes.some((c) => c.field === field)) {
        const replicas = fieldAtPath(obj, version.specReplicasPath!);
        if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
          causes.push(invalid(field, replicas, 'should be a non-negative integer'));
        }
      }
      return causes;
    },
  };
}
