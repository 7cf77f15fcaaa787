// Which custom resources the server serves, kept in step with the stored CustomResourceDefinitions:
// every committed change to a definition re-serves its versions (or stops serving them) before
// the write that made it is answered, so a client told a definition is Established finds its
// resources. Each served version gets its strategy, its schema compiled once here.
import type { KubeObject } from '../../../api/types.js';
import { findByKind, findServed, serveCustomResources, stopServingCustomResources, storagePrefix, type ResourceType } from '../../../api/resources.js';
import { servedVersionsOf } from '../../../api/custom-resource-definitions.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import type { WatchSubscription } from '../../storage/watch-broadcaster.js';
import { genericStrategy, type Strategy } from '../strategies/strategy.js';
import { compileStructuralSchema } from './structural-schema.js';
import { customResourceStrategy } from './custom-resource-strategy.js';
import { managedFieldsType } from './managed-fields-type.js';
import type { TypeNode } from '../fieldmanager/typed.js';

const CRDS = findByKind('CustomResourceDefinition')!;

interface ServedVersion {
  strategy: Strategy;
  /** What server-side apply merges its objects by. */
  type: TypeNode;
  /** The version's openAPIV3Schema as the definition gives it, for the OpenAPI documents. */
  openAPIV3Schema: Record<string, unknown>;
}

const versions = new WeakMap<ResourceType, ServedVersion>();

/**
 * A served version, also for a resource type built from the definition by its caller (as an
 * in-process controller may, like a client out of process) rather than taken from the catalogue.
 */
function servedVersion(r: ResourceType): ServedVersion | undefined {
  const found = versions.get(r);
  if (found) return found;
  const catalogued = findServed(r.group, r.version, r.plural);
  return catalogued && versions.get(catalogued);
}

/** The strategy of a served custom resource version. */
export function customStrategyFor(r: ResourceType): Strategy {
  return servedVersion(r)?.strategy ?? genericStrategy;
}

/** The schema a served custom resource version's definition gives, for the OpenAPI documents. */
export function customOpenApiSchemaFor(r: ResourceType): Record<string, unknown> | undefined {
  return versions.get(r)?.openAPIV3Schema;
}

/** The type of a served custom resource version's objects, for server-side apply. */
export function customTypeFor(r: ResourceType): TypeNode | undefined {
  return servedVersion(r)?.type;
}

/** Serves what one stored definition defines now (nothing, once it is gone or not established). */
export function serveDefinition(name: string, crd: KubeObject | undefined): void {
  const served: ResourceType[] = [];
  for (const r of crd ? servedVersionsOf(crd) : []) {
    const version = (crd!.spec.versions as any[]).find((v) => v.name === r.version);
    const { schema } = compileStructuralSchema(version?.schema?.openAPIV3Schema, '');
    // Definitions are validated before they are stored; one that is not valid now serves nothing.
    if (!schema) continue;
    versions.set(r, {
      strategy: customResourceStrategy({ schema, specReplicasPath: r.custom?.scale?.specReplicasPath }),
      type: managedFieldsType(schema),
      openAPIV3Schema: version.schema.openAPIV3Schema,
    });
    served.push(r);
  }
  if (served.length) serveCustomResources(name, served);
  else stopServingCustomResources(name);
}

/** Follows the store's definitions from now on; close() stops following (what is served stays). */
export function followDefinitions(store: SqliteStore, log: (msg: string) => void = () => {}): { close(): void } {
  const prefix = storagePrefix(CRDS);
  let sub: WatchSubscription | undefined;
  let closed = false;
  const nameOf = (key: string) => key.slice(prefix.length);
  const start = () => {
    for (const row of store.list(prefix)) serveDefinition(nameOf(row.key), JSON.parse(row.value) as KubeObject);
    sub = store.watch(
      prefix,
      store.currentRevision,
      (e) => {
        try {
          serveDefinition(nameOf(e.key), e.type === 'DELETED' ? undefined : (e.object ?? (JSON.parse(e.value) as KubeObject)));
        } catch (err) {
          log(`custom resources: ${nameOf(e.key)}: ${(err as Error).message}`);
        }
      },
      () => {
        // A watcher that failed is dropped by the store: follow again from the current state
        // (a closed store refuses, and there is nothing left to follow).
        if (closed) return;
        try {
          start();
        } catch (err) {
          log(`custom resources: no longer following definitions: ${(err as Error).message}`);
        }
      },
    );
  };
  start();
  return {
    close: () => {
      closed = true;
      sub?.close();
    },
  };
}
