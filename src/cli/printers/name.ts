// `-o name`: one `kind.group/name` line per object (`pod/nginx`, `deployment.apps/django`).
import type { KubeObject } from '../../api/types.js';

/** `deployment.apps`, `pod`: the lower-cased kind qualified by its API group, as kubectl names types. */
function kindQualifier(kind: string, group: string): string {
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/** The group of an `apiVersion`: `apps` for `apps/v1`, empty for core `v1`. */
function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : apiVersion!.slice(0, slash);
}

export function objectName(obj: KubeObject): string {
  if (!obj.kind) throw new Error(`missing kind for resource with name ${obj.metadata.name}`);
  return `${kindQualifier(obj.kind, groupOf(obj.apiVersion))}/${obj.metadata.name}`;
}

export function printNames(objects: KubeObject[]): string {
  return objects.map((obj) => `${objectName(obj)}\n`).join('');
}
