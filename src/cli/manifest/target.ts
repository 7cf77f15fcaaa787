// Which resource type and namespace a manifest's object goes to, as kubectl decides it.
import { apiVersionOf, servedResources, type ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { CliContext } from '../context.js';
import { resolveKind } from '../discovery.js';

export interface Target {
  r: ResourceType;
  namespace: string | undefined;
}

/** A message that names the kinds that do exist, so a typo is easy to spot. */
function unknownKind(obj: KubeObject): string {
  const sameKind = servedResources().filter((r) => r.kind === obj.kind).map(apiVersionOf);
  if (sameKind.length) {
    return `no matches for kind "${obj.kind}" in version "${obj.apiVersion}": ${obj.kind} is served as apiVersion ${sameKind.join(', ')}`;
  }
  const kinds = servedResources().map((r) => `${r.kind} (${apiVersionOf(r)})`).join(', ');
  return `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"; the kinds this cluster serves are: ${kinds}`;
}

export async function targetOf(obj: KubeObject, ctx: CliContext): Promise<Target | { error: string }> {
  const r = await resolveKind(ctx.client, obj.apiVersion!, obj.kind!);
  if (!r) return { error: unknownKind(obj) };
  if (!r.namespaced) return { r, namespace: undefined };
  const own = obj.metadata?.namespace;
  if (own && ctx.namespaceExplicit && own !== ctx.namespace) {
    return {
      error: `the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    };
  }
  return { r, namespace: own || ctx.namespace };
}
