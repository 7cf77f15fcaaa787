// The resources a server serves beyond the built-in catalogue (the custom resources of its
// CustomResourceDefinitions), learnt from its discovery documents as kubectl's discovery client
// does, the first time a command meets a type or kind the catalogue does not know. Once learnt they
// are in the catalogue's lookups for the rest of the command, beside the built-in kinds.
import { RESOURCES, apiVersionOf, findByApiVersionKind, findByKind, resolveResource, resourcesInCategory, serveCustomResources, type ResourceType } from '../api/resources.js';
import type { HttpClient } from '../api/http-client.js';
import { isCrdConditionTrue } from '../api/custom-resource-definitions.js';
import type { KubeObject } from '../api/types.js';

interface ApiGroup {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
  categories?: string[];
}

const BUILT_IN = new Set(RESOURCES.map(apiVersionOf));

// One discovery per client: a command that meets several unknown names asks the server once.
const learnt = new WeakMap<HttpClient, Promise<void>>();

/** Puts the resources the server serves outside the built-in catalogue into the catalogue's lookups. */
export function learnServedResources(client: HttpClient): Promise<void> {
  let done = learnt.get(client);
  if (!done) {
    done = discover(client);
    learnt.set(client, done);
  }
  return done;
}

/** Forgets what was learnt, so the next lookup that misses asks again (after the command created a definition). */
export function forgetServedResources(client: HttpClient): void {
  learnt.delete(client);
}

async function discover(client: HttpClient): Promise<void> {
  const { groups } = await client.request<{ groups?: ApiGroup[] }>('GET', '/apis');
  const byDefinition = new Map<string, ResourceType[]>();
  for (const group of groups ?? []) {
    const preferred = group.preferredVersion?.version ?? group.versions[0]?.version;
    for (const { groupVersion, version } of group.versions) {
      if (BUILT_IN.has(groupVersion)) continue;
      const list = await client.request<{ resources?: ApiResource[] }>('GET', `/apis/${groupVersion}`);
      const resources = list.resources ?? [];
      for (const res of resources) {
        if (res.name.includes('/')) continue;
        const definition = `${res.name}.${group.name}`;
        const subresources = resources.filter((s) => s.name.startsWith(`${res.name}/`)).map((s) => s.name.slice(res.name.length + 1));
        const entry: ResourceType = {
          group: group.name,
          version,
          kind: res.kind,
          plural: res.name,
          singular: res.singularName || res.kind.toLowerCase(),
          shortNames: res.shortNames ?? [],
          namespaced: res.namespaced,
          subresources,
          categories: res.categories ?? [],
          statusSubresource: subresources.includes('status'),
          // What the client needs of a custom resource: unversioned lookups find the preferred
          // version, and writes are JSON merge patches (a custom kind has no patch strategies).
          custom: { definition, storageVersion: preferred ?? version, listKind: `${res.kind}List`, terminating: false, printerColumns: [] },
        };
        byDefinition.set(definition, [...(byDefinition.get(definition) ?? []), entry]);
      }
    }
  }
  for (const [definition, versions] of byDefinition) serveCustomResources(definition, versions);
}

/** The resource type a user typed (`widgets`, `wg`, `widget.example.com`), asking the server when the catalogue does not know it. */
export async function resolveType(client: HttpClient, name: string): Promise<ResourceType | undefined> {
  const r = resolveResource(name);
  if (r) return r;
  await learnServedResources(client);
  return resolveResource(name);
}

/** The resources of a category (`all`, or one a definition declares), asking the server when none is known. */
export async function resolveCategory(client: HttpClient, name: string): Promise<ResourceType[]> {
  const known = resourcesInCategory(name);
  if (known.length) return known;
  await learnServedResources(client);
  return resourcesInCategory(name);
}

// How long a kind whose definition exists may take to be served: the definition's names are
// accepted and it is established by a controller, just after it is created (apply of a file
// holding a definition and objects of its kind).
const ESTABLISH_WAIT_MS = 5_000;

const DEFINITIONS = findByKind('CustomResourceDefinition')!;

/**
 * The resource type of a manifest's apiVersion and kind. A kind whose CustomResourceDefinition
 * exists but is not served yet is waited for, so one file can hold a definition and its objects
 * (kubectl fails such a file the first time: "ensure CRDs are installed first").
 */
export async function resolveKind(client: HttpClient, apiVersion: string, kind: string): Promise<ResourceType | undefined> {
  let r = findByApiVersionKind(apiVersion, kind);
  if (r) return r;
  await learnServedResources(client);
  r = findByApiVersionKind(apiVersion, kind);
  if (r) return r;
  const definition = await definitionOf(client, apiVersion, kind);
  if (!definition || !(await established(client, definition))) return undefined;
  forgetServedResources(client);
  await learnServedResources(client);
  return findByApiVersionKind(apiVersion, kind);
}

/** The name of the CustomResourceDefinition that defines this kind in this version (served or not yet). */
async function definitionOf(client: HttpClient, apiVersion: string, kind: string): Promise<string | undefined> {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const list = await client.list(DEFINITIONS, undefined).catch(() => undefined);
  const found = list?.items.find(
    (d) => d.spec?.group === group && d.spec?.names?.kind === kind && (d.spec?.versions ?? []).some((v: { name: string; served?: boolean }) => v.name === version && v.served),
  );
  return found?.metadata.name;
}

/** Whether the definition is established within ESTABLISH_WAIT_MS, watching it (its current state first, then its changes). */
function established(client: HttpClient, name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      handle.stop();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), ESTABLISH_WAIT_MS);
    const handle = client.watch(DEFINITIONS, undefined, { fieldSelector: `metadata.name=${name}` }, (e) => {
      if (e.type === 'DELETED') finish(false);
      else if ((e.type === 'ADDED' || e.type === 'MODIFIED') && isCrdConditionTrue(e.object as KubeObject, 'Established')) finish(true);
    });
    void handle.done.then(() => finish(false));
  });
}
