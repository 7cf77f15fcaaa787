// The data of a ConfigMap or Secret from kubectl's sources: `--from-literal=KEY=VALUE`,
// `--from-file=[KEY=]PATH` (a directory gives one key per regular file in it) and
// `--from-env-file=PATH` (KEY=VALUE lines). kustomize's configMapGenerator and secretGenerator
// read the same three kinds of source.
import { readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { isConfigMapKey, isEnvVarName } from '../../api/validation/names.js';
import { CliError } from '../errors.js';

export type SourceKind = 'literal' | 'file' | 'env-file';

export interface DataSource {
  kind: SourceKind;
  /** As written after the flag: `KEY=VALUE`, `[KEY=]PATH`, `PATH`. */
  spec: string;
}

/** One key with its bytes, in the order the sources gave them. */
export type DataEntry = [key: string, value: Buffer];

/** How a duplicate or invalid key is reported differs between the two kinds, as in kubectl. */
export interface KeyRules {
  invalidKey(key: string, errors: string[]): string;
  /** `existing` is the value the key already has. */
  duplicateKey(key: string, existing: Buffer): string;
  /** The message for an env file that is a directory. */
  envFileIsDirectory: string;
}

export function configMapKeyRules(name: string): KeyRules {
  return {
    invalidKey: (key, errors) => `${goQuote(key)} is not a valid key name for a ConfigMap: ${errors.join(',')}`,
    duplicateKey: (key, existing) =>
      `cannot add key ${goQuote(key)}, another key by that name already exists in ${utf8Text(existing) === undefined ? 'BinaryData' : 'Data'} for ConfigMap ${goQuote(name)}`,
    envFileIsDirectory: 'env config file cannot be a directory',
  };
}

export const SECRET_KEY_RULES: KeyRules = {
  invalidKey: (key, errors) => `${goQuote(key)} is not valid key name for a Secret ${errors.join(';')}`,
  duplicateKey: (key) => `cannot add key ${key}, another key by that name already exists`,
  envFileIsDirectory: 'env secret file cannot be a directory',
};

/** Go's %q for the plain strings keys are. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** kubectl's ParseLiteralSource: KEY=VALUE, split at the first `=`. */
export function parseLiteralSource(source: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq < 0) throw new CliError(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, eq), source.slice(eq + 1)];
}

/** kubectl's ParseFileSource: `PATH` (the key is its base name) or `KEY=PATH`. */
export function parseFileSource(source: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq < 0) return [basename(source), source];
  const key = source.slice(0, eq);
  const path = source.slice(eq + 1);
  if (!key) throw new CliError(`key name for file path ${path} missing`);
  if (!path) throw new CliError(`file path for key name ${key} missing`);
  return [key, path];
}

/**
 * kubectl's AddFromEnvFile: one KEY=VALUE per line; blank lines and `#` comments are skipped,
 * leading white space is dropped, a line with a KEY alone takes the value from the environment.
 */
export function parseEnvFile(text: string, env: NodeJS.ProcessEnv = process.env): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const errors = isEnvVarName(key);
    if (errors.length) throw new CliError(`${goQuote(key)} is not a valid key name: ${errors.join(';')}`);
    if (eq >= 0) out.push([key, line.slice(eq + 1)]);
    else if (env[key] !== undefined) out.push([key, env[key]!]);
  }
  return out;
}

function statOrFail(path: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`error reading ${path}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
  }
}

/**
 * Collects the entries of the sources in the order given (callers order the kinds as kubectl
 * does), checking every key and refusing duplicates with the kind's messages.
 */
export function collectData(sources: DataSource[], rules: KeyRules, baseDir = '.'): DataEntry[] {
  const entries: DataEntry[] = [];
  const seen = new Map<string, Buffer>();
  const add = (key: string, value: Buffer) => {
    const errors = isConfigMapKey(key);
    if (errors.length) throw new CliError(rules.invalidKey(key, errors));
    const existing = seen.get(key);
    if (existing) throw new CliError(rules.duplicateKey(key, existing));
    seen.set(key, value);
    entries.push([key, value]);
  };
  const resolve = (p: string) => (p.startsWith('/') ? p : join(baseDir, p));
  for (const source of sources) {
    if (source.kind === 'literal') {
      const [key, value] = parseLiteralSource(source.spec);
      add(key, Buffer.from(value, 'utf8'));
    } else if (source.kind === 'file') {
      const [key, path] = parseFileSource(source.spec);
      const info = statOrFail(resolve(path));
      if (info.isDirectory()) {
        if (source.spec.includes('=')) throw new CliError('cannot give a key name for a directory path');
        for (const item of readdirSync(resolve(path), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          if (item.isFile()) add(item.name, readFileSync(join(resolve(path), item.name)));
        }
      } else {
        add(key, readFileSync(resolve(path)));
      }
    } else {
      const info = statOrFail(resolve(source.spec));
      if (info.isDirectory()) throw new CliError(rules.envFileIsDirectory);
      for (const [key, value] of parseEnvFile(readFileSync(resolve(source.spec), 'utf8'))) add(key, Buffer.from(value, 'utf8'));
    }
  }
  return entries;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text of bytes that are valid UTF-8, else undefined (a ConfigMap keeps those in binaryData). */
export function utf8Text(value: Buffer): string | undefined {
  try {
    return UTF8.decode(value);
  } catch {
    return undefined;
  }
}
