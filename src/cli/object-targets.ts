// The objects a command acts on, as kubectl's resource builder finds them for scale, rollout and
// set: `TYPE NAME...`, `TYPE/NAME...`, or `TYPE` with `-l` or `--all`, read from the API.
import type { HttpClient } from '../api/http-client.js';
import { apiVersionOf, qualifiedPlural, type ResourceType } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { CliError } from './errors.js';
import { parseResourceArgs } from './resource-args.js';

export interface Target {
  r: ResourceType;
  obj: KubeObject;
}

export interface TargetOptions {
  /** The command's verb, for kubectl's `no objects passed to scale`. */
  verb: string;
  selector?: string;
  all?: boolean;
}

export async function resolveTargets(client: HttpClient, namespace: string, args: string[], opts: TargetOptions): Promise<Target[]> {
  const selections = await parseResourceArgs(client, args);
  if (selections.length === 0) throw new CliError('required resource not specified');
  const targets: Target[] = [];
  for (const sel of selections) {
    const ns = sel.r.namespaced ? namespace : undefined;
    if (sel.names) {
      if (opts.selector || opts.all) throw new CliError('name cannot be provided when a selector or --all is specified');
      for (const name of sel.names) targets.push({ r: sel.r, obj: await client.get(sel.r, ns, name) });
      continue;
    }
    if (!opts.selector && !opts.all) throw new CliError(`resource(s) were provided, but no name was specified`);
    const list = await client.list(sel.r, ns, { labelSelector: opts.selector });
    // List items carry no kind, as in Kubernetes.
    for (const obj of list.items) targets.push({ r: sel.r, obj: { ...obj, apiVersion: apiVersionOf(sel.r), kind: sel.r.kind } });
  }
  if (targets.length === 0) throw new CliError(`no objects passed to ${opts.verb}`);
  return targets;
}

/** `deployments.apps "web"`, as kubectl names an object in its errors. */
export function quotedName(t: Target): string {
  return `${qualifiedPlural(t.r)} "${t.obj.metadata.name}"`;
}

/** `Deployment.apps`, the GroupKind kubectl prints for a kind it cannot handle. */
export function groupKind(r: ResourceType): string {
  return r.group ? `${r.kind}.${r.group}` : r.kind;
}
