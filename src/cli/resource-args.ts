// kubectl's resource arguments: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME TYPE2/NAME2`.
import type { HttpClient } from '../api/http-client.js';
import type { ResourceType } from '../api/resources.js';
import { resolveCategory, resolveType } from './discovery.js';
import { CliError } from './errors.js';

export interface ResourceSelection {
  r: ResourceType;
  /** Names asked for; undefined means every object of the type (filtered by selectors). */
  names?: string[];
}

/** A type by its name, else the types of a category by its name (`all`, or one a definition declares), as kubectl looks them up. */
async function resolve(client: HttpClient, type: string): Promise<ResourceType[]> {
  const r = type === 'all' ? undefined : await resolveType(client, type);
  if (r) return [r];
  const category = await resolveCategory(client, type);
  if (!category.length) throw new CliError(`the server doesn't have a resource type "${type}"`);
  return category;
}

export async function parseResourceArgs(client: HttpClient, args: string[]): Promise<ResourceSelection[]> {
  if (args.length === 0) return [];
  if (args.some((a) => a.includes('/'))) {
    const out: ResourceSelection[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash <= 0 || slash === a.length - 1) {
        throw new CliError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kctl get resource/<resource_name>' instead of 'kctl get resource resource/<resource_name>')`);
      }
      const [r] = await resolve(client, a.slice(0, slash));
      const name = a.slice(slash + 1);
      const existing = out.find((s) => s.r === r);
      if (existing) existing.names!.push(name);
      else out.push({ r, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const rs: ResourceType[] = [];
  for (const type of types.split(',').filter(Boolean)) rs.push(...(await resolve(client, type)));
  if (names.length && rs.length > 1) throw new CliError('names cannot be given together with several resource types; use TYPE/NAME');
  return rs.map((r) => ({ r, names: names.length ? names : undefined }));
}
