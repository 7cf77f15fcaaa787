// Pure: set env's arguments and what they do to a container's env (kubectl's ParseEnv, updateEnv,
// the --from keys and the --list text).
import { isEnvVarName } from '../api/validation/names.js';
import { CliError } from './errors.js';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, any>;
}

/** `KEY=VALUE` sets, `KEY-` removes; anything else is a resource argument. */
export function splitEnvArgs(args: string[]): { resources: string[]; envArgs: string[] } {
  const resources: string[] = [];
  const envArgs: string[] = [];
  for (const a of args) {
    if (a.includes('=') || (a.endsWith('-') && a.length > 1 && !a.includes('/'))) envArgs.push(a);
    else resources.push(a);
  }
  return { resources, envArgs };
}

export function parseEnv(specs: string[]): { env: EnvVar[]; remove: string[] } {
  const env: EnvVar[] = [];
  const remove: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq >= 0) {
      const name = spec.slice(0, eq);
      const errors = isEnvVarName(name);
      if (errors.length) throw new CliError(`${JSON.stringify(name)} is not a valid key name: ${errors.join(';')}`);
      env.push({ name, value: spec.slice(eq + 1) });
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else throw new CliError(`environment variables must be of the form key=value: ${spec}`);
  }
  return { env, remove };
}

/** An env var name from a data key, kubectl's keyToEnvName: upper case, invalid characters as `_`. */
export function keyToEnvName(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
}

/** The variables --from=secret/NAME or configmap/NAME gives: one reference per key. */
export function envFromData(kind: 'Secret' | 'ConfigMap', name: string, keys: string[], prefix: string): EnvVar[] {
  const ref = kind === 'Secret' ? 'secretKeyRef' : 'configMapKeyRef';
  return keys.sort().map((key) => ({ name: `${prefix}${keyToEnvName(key)}`, valueFrom: { [ref]: { key, name } } }));
}

/** kubectl's updateEnv: replaced in place, removed, or added at the end. */
export function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const out: EnvVar[] = [];
  const covered = new Set(remove);
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((n) => n.name === e.name);
    if (newer) {
      covered.add(e.name);
      out.push(newer);
    } else out.push(e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(e);
  }
  return out;
}

/** Without --overwrite, a variable that already has another value is an error. */
export function overwriteConflict(existing: EnvVar[], env: EnvVar[]): string | undefined {
  for (const e of env) {
    const old = existing.find((x) => x.name === e.name);
    if (old && (old.value !== e.value || JSON.stringify(old.valueFrom) !== JSON.stringify(e.valueFrom))) {
      return `'${e.name}' already has a value (${old.value ?? ''}), and --overwrite is false`;
    }
  }
  return undefined;
}

/** GetEnvVarRefString: where a variable's value comes from. */
export function envVarRefString(from: Record<string, any>): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef) {
    const prefix = from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : '';
    return `resource field ${prefix}${from.resourceFieldRef.resource}`;
  }
  return 'invalid env var source';
}

/** set env --list's text for one container. */
export function listContainerEnv(kind: string, name: string, container: { name: string; env?: EnvVar[] }): string {
  let out = `# ${kind} ${name}, container ${container.name}\n`;
  for (const e of container.env ?? []) {
    out += e.valueFrom ? `# ${e.name} from ${envVarRefString(e.valueFrom)}\n` : `${e.name}=${e.value ?? ''}\n`;
  }
  return out;
}
