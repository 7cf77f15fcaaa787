// The subresources' verbs in one table, called by the HTTP handler and by the in-process client
// alike, so a call to pods/binding, deployments/scale or pods/eviction reaches the same code
// however it arrives and a controller can move out of the daemon unchanged. The HTTP handler
// decodes bodies to the table's kind first; the streams (log, exec, attach, port-forward) are the
// HTTP handler's alone.
import type { PatchType } from '../../api/client.js';
import { ApiError, errors } from '../../api/errors.js';
import { apiVersionOf, type ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { SigningKey } from '../serviceaccount/signing-key.js';
import { bindPod } from './binding.js';
import { evictPod } from './eviction.js';
import type { Registry, RegistryWriteOptions } from './registry.js';
import { getScale, patchScale, updateScale } from './scale.js';
import { requestToken } from './token-request.js';

/** What the verbs work on: the registry, and the key that signs service account tokens (absent, none are issued). */
export interface SubresourceEnv {
  registry: Registry;
  serviceAccountKey?: SigningKey;
}

/** Where a call goes: the object's resource, namespace and name. */
export interface SubresourceTarget {
  r: ResourceType;
  namespace: string | undefined;
  name: string;
}

/** An answer with its HTTP code: 201 for a create, 200 otherwise, or a Status's own code (eviction). */
export interface SubresourceAnswer {
  code: number;
  object: KubeObject;
}

export interface SubresourceVerbs {
  /** The apiVersion and kind a written body must have. */
  bodyKind(r: ResourceType): { apiVersion: string; kind: string };
  get?(env: SubresourceEnv, t: SubresourceTarget): KubeObject;
  update?(env: SubresourceEnv, t: SubresourceTarget, body: KubeObject, opts: RegistryWriteOptions): KubeObject;
  patch?(env: SubresourceEnv, t: SubresourceTarget, type: PatchType, patch: unknown, opts: RegistryWriteOptions): Promise<SubresourceAnswer>;
  create?(env: SubresourceEnv, t: SubresourceTarget, body: KubeObject, opts: RegistryWriteOptions): SubresourceAnswer;
}

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as KubeObject;

/** status and approval: the object itself, of which a write changes only that part. */
function objectPart(subresource: string): SubresourceVerbs {
  return {
    bodyKind: (r) => ({ apiVersion: apiVersionOf(r), kind: r.kind }),
    get: ({ registry }, { r, namespace, name }) => registry.get(r, namespace, name),
    update: ({ registry }, { r, namespace, name }, body, opts) => registry.update(r, namespace, name, body, { ...opts, subresource }),
    async patch({ registry }, { r, namespace, name }, type, patch, opts) {
      if (type !== 'apply') return { code: 200, object: registry.patch(r, namespace, name, type, patch, { ...opts, subresource }) };
      // A server-side apply answers 201 when it created the object.
      const { obj, created } = await registry.apply(r, namespace, name, patch, { ...opts, subresource });
      return { code: created ? 201 : 200, object: obj };
    },
  };
}

const SUBRESOURCES: Record<string, SubresourceVerbs> = {
  status: objectPart('status'),
  approval: objectPart('approval'),
  // A namespace's spec.finalizers, which the namespace controller empties once everything in it is gone.
  finalize: {
    bodyKind: (r) => ({ apiVersion: apiVersionOf(r), kind: r.kind }),
    update: ({ registry }, { r, namespace, name }, body, opts) => registry.update(r, namespace, name, body, { ...opts, subresource: 'finalize' }),
  },
  scale: {
    bodyKind: () => ({ apiVersion: 'autoscaling/v1', kind: 'Scale' }),
    get: ({ registry }, { r, namespace, name }) => getScale(r, registry.get(r, namespace, name)),
    update: ({ registry }, { r, namespace, name }, body, opts) => updateScale(registry, r, namespace, name, body, { ...opts, subresource: 'scale' }),
    patch: async ({ registry }, { r, namespace, name }, type, patch, opts) => ({ code: 200, object: patchScale(registry, r, namespace, name, type, patch, { ...opts, subresource: 'scale' }) }),
  },
  binding: {
    bodyKind: () => ({ apiVersion: 'v1', kind: 'Binding' }),
    create({ registry }, { namespace, name }, body, opts) {
      bindPod(registry, namespace!, name, body, opts.dryRun ?? false);
      return { code: 201, object: SUCCESS };
    },
  },
  eviction: {
    bodyKind: () => ({ apiVersion: 'policy/v1', kind: 'Eviction' }),
    create({ registry }, { r, namespace, name }, body, opts) {
      opts.admit?.(registry.get(r, namespace, name));
      const status = evictPod(registry, namespace!, name, body, opts.dryRun ?? false);
      return { code: status.code as number, object: status };
    },
  },
  token: {
    bodyKind: () => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' }),
    create({ registry, serviceAccountKey }, { namespace, name }, body) {
      if (!serviceAccountKey) throw new ApiError('ServiceUnavailable', 'this client has no service account signing key: tokens are issued by the API server');
      return { code: 201, object: requestToken(registry, serviceAccountKey, namespace!, name, body) };
    },
  },
};

/** The verbs of a resource's subresource; a subresource it does not have is NotFound, as over HTTP. */
export function subresourceVerbs(r: ResourceType, subresource: string, name: string): SubresourceVerbs | undefined {
  if (!r.subresources.includes(subresource)) throw errors.notFound(r.plural, r.group, `${name}/${subresource}`);
  return SUBRESOURCES[subresource];
}

/** How discovery lists a subresource served here: its kind (with its group and version where they differ from the resource's) and verbs. */
export function subresourceDiscovery(r: ResourceType, subresource: string): { kind: string; group?: string; version?: string; verbs: string[] } | undefined {
  const verbs = SUBRESOURCES[subresource];
  if (!verbs) return undefined;
  const { apiVersion, kind } = verbs.bodyKind(r);
  const served = (['get', 'patch', 'update', 'create'] as const).filter((v) => verbs[v]);
  if (apiVersion === apiVersionOf(r)) return { kind, verbs: served };
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { kind, group, version, verbs: served };
}

/** The answer of a verb the subresource lacks (the same words over HTTP and in process). */
export function methodNotAllowed(r: ResourceType, subresource: string): ApiError {
  return new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource (${r.plural}/${subresource})`);
}

/** A create's answer as a client sees it: a Status with a failure code is an error. */
export function createdObject(answer: SubresourceAnswer): KubeObject {
  if (answer.code >= 400) throw ApiError.fromStatus(answer.object as never, answer.code);
  return answer.object;
}
