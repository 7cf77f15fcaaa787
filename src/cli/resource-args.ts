// kubectl's resource arguments: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME TYPE2/NAME2`.
import { RESOURCES, resolveResource, type ResourceType } from '../api/resources.js';
import { CliError } from './errors.js';

export interface ResourceSelection {
  r: ResourceType;
  /** Names asked for; undefined means every object of the type (filtered by selectors). */
  names?: string[];
}

function resolve(type: string): ResourceType[] {
  if (type === 'all') return RESOURCES.filter((r) => r.categories.includes('all'));
  const r = resolveResource(type);
  if (!r) throw new CliError(`the server doesn't have a resource type "${type}"`);
  return [r];
}

export function parseResourceArgs(args: string[]): ResourceSelection[] {
  if (args.length === 0) return [];
  if (args.some((a) => a.includes('/'))) {
    const out: ResourceSelection[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash <= 0 || slash === a.length - 1) {
        throw new CliError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kctl get resource/<resource_name>' instead of 'kctl get resource resource/<resource_name>')`);
      }
      const [r] = resolve(a.slice(0, slash));
      const name = a.slice(slash + 1);
      const existing = out.find((s) => s.r === r);
      if (existing) existing.names!.push(name);
      else out.push({ r, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const rs = types.split(',').filter(Boolean).flatMap(resolve);
  if (names.length && rs.length > 1) throw new CliError('names cannot be given together with several resource types; use TYPE/NAME');
  return rs.map((r) => ({ r, names: names.length ? names : undefined }));
}
