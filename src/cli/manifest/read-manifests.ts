// Reads the manifests of `-f FILE|DIR|URL|-` into objects, one entry per YAML document, keeping
// where each came from so errors can point at a file, line and column.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { isAlias, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { readAll, type IOStreams } from '../io-streams.js';

export interface Manifest {
  /** The file name as the user gave it (`-` for standard input). */
  source: string;
  /** 1-based position of the document in its file. */
  index: number;
  doc: Document;
  lines: LineCounter;
  obj?: KubeObject;
  /** Why the document cannot be used, with its position. */
  error?: string;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function filesOf(path: string, recursive: boolean): string[] {
  if (path === '-') return ['-'];
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new CliError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...filesOf(full, true));
    } else if (MANIFEST_EXTENSIONS.has(extname(entry.name))) out.push(full);
  }
  return out;
}

function readSource(io: IOStreams, file: string): Promise<string> | string {
  return file === '-' ? readAll(io.in) : readFileSync(file, 'utf8');
}

/** `file:line:col` of an offset in a document. */
export function position(m: Pick<Manifest, 'source' | 'lines'>, offset: number): string {
  const { line, col } = m.lines.linePos(offset);
  return `${m.source}:${line}:${col}`;
}

function checkShape(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'a manifest must be a mapping with apiVersion, kind and metadata';
  const v = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof v[k] !== 'string' || v[k] === '');
  if (missing.length) return `error validating data: [${missing.map((k) => `${k} not set`).join(', ')}]`;
  return undefined;
}

/** Where the document's first alias is: what an alias error is about. */
function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

/** The manifests, refused when they hold no object, as kubectl does (`no objects passed to apply`). */
export function requireObjects(manifests: Manifest[], verb: string): Manifest[] {
  if (manifests.length === 0) throw new CliError(`no objects passed to ${verb}`);
  return manifests;
}

export async function readManifests(io: IOStreams, paths: string[], recursive: boolean): Promise<Manifest[]> {
  if (paths.length === 0) throw new CliError('must specify one of -f and -k');
  const out: Manifest[] = [];
  for (const file of paths.flatMap((p) => filesOf(p, recursive))) {
    const text = await readSource(io, file);
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, i) => {
      const m: Manifest = { source: file, index: i + 1, doc: doc as Document, lines };
      if (doc.errors.length) {
        const e = doc.errors[0];
        m.error = `${position(m, e.pos[0])}: YAML syntax error: ${e.message.split('\n')[0]}`;
        out.push(m);
        return;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (err) {
        // An alias to no anchor, or aliases expanding past 100 nodes (a "billion laughs" file).
        m.error = `${position(m, firstAliasOffset(doc) ?? 0)}: YAML error: ${(err as Error).message.split('\n')[0]}`;
        out.push(m);
        return;
      }
      if (value === null || value === undefined) return; // an empty document between separators
      const shapeError = checkShape(value);
      if (shapeError) {
        m.error = `${position(m, doc.contents?.range?.[0] ?? 0)}: ${shapeError}`;
        out.push(m);
        return;
      }
      const obj = value as KubeObject;
      if (obj.kind === 'List' || (obj.kind!.endsWith('List') && Array.isArray(obj.items))) {
        for (const item of obj.items as KubeObject[]) out.push({ ...m, obj: { ...item, metadata: item.metadata ?? {} } });
        return;
      }
      obj.metadata ??= {};
      m.obj = obj;
      out.push(m);
    });
  }
  return out;
}

/**
 * The line and column of a Kubernetes field path (`spec.template.spec.containers[0].image`) in
 * the document, or of its nearest ancestor that is there (a missing required field points at its parent).
 */
export function locateField(m: Manifest, fieldPath: string): string {
  const keys: Array<string | number> = [];
  for (const part of fieldPath.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    keys.push(part.startsWith('[') ? Number(part.slice(1, -1)) : part);
  }
  for (let n = keys.length; n >= 0; n--) {
    const node = n === 0 ? m.doc.contents : (m.doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      // For a key that exists, point at the key rather than its value.
      const pair = n > 0 ? findKeyOffset(m, keys.slice(0, n)) : undefined;
      return position(m, pair ?? range[0]);
    }
  }
  return `${m.source}:1:1`;
}

function findKeyOffset(m: Manifest, keys: Array<string | number>): number | undefined {
  const last = keys[keys.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = (keys.length === 1 ? m.doc.contents : m.doc.getIn(keys.slice(0, -1), true)) as
    | { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> }
    | null
    | undefined;
  const pair = parent?.items?.find((p) => p.key?.value === last);
  return pair?.key?.range?.[0];
}
