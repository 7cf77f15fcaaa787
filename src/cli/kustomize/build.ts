// `kctl kustomize DIR` / `kctl apply -k DIR`: a kustomization built as kustomize (kubectl 1.32's)
// builds it, for the fields people use most: resources (files and directories, built
// recursively), namespace, namePrefix/nameSuffix, commonLabels/labels, commonAnnotations,
// configMapGenerator/secretGenerator (with kustomize's content-hash name suffix, references
// rewritten), patches, patchesStrategicMerge, patchesJson6902, images and replicas. Any other field
// is refused by name rather than ignored.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { applyJsonPatch } from '../../api/patch/json-patch.js';
import { applyStrategicMergePatch } from '../../api/patch/strategic-merge.js';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { configMapHash, secretHash } from '../generators/content-hash.js';
import { collectData, configMapKeyRules, utf8Text, type DataSource } from '../generators/data-sources.js';
import { podSpecOf } from '../pod-template.js';
import { CLUSTER_SCOPED, annotationMaps, labelMaps, legacyOrder, nameRefs } from './fields.js';

/** The kinds `replicas:` sets spec.replicas of. */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

const FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const SUPPORTED = [
  'apiVersion',
  'kind',
  'resources',
  'bases',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'images',
  'replicas',
];

const DEPRECATED: Record<string, string> = {
  patchesStrategicMerge: 'patches',
  commonLabels: 'labels',
  bases: 'resources',
  patchesJson6902: 'patches',
};

/** A resource with every name it has had, so patches and references written for any of them find it. */
interface Tracked {
  obj: KubeObject;
  names: Set<string>;
  /** A generated ConfigMap or Secret that gets the content hash suffix at the end. */
  needsHash: boolean;
}

export interface BuildResult {
  objects: KubeObject[];
  warnings: string[];
}

function kustomizationFile(dir: string): string {
  for (const name of FILE_NAMES) if (existsSync(join(dir, name))) return join(dir, name);
  throw new CliError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`);
}

function readDocs(path: string): KubeObject[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`accumulating resources: accumulation err='accumulating resources from '${path}': open ${path}: no such file or directory'`);
  }
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new CliError(`${path}: YAML syntax error: ${doc.errors[0].message.split('\n')[0]}`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (value.kind === 'List' && Array.isArray(value.items)) out.push(...value.items);
    else out.push(value);
  }
  for (const o of out) {
    if (!o?.kind || !o.apiVersion || !o.metadata?.name) throw new CliError(`${path}: a resource needs apiVersion, kind and metadata.name`);
  }
  return out;
}

function isKind(t: Tracked, kind: string): boolean {
  return t.obj.kind === kind;
}

function rename(t: Tracked, name: string): void {
  t.obj.metadata.name = name;
  t.names.add(name);
}

interface GeneratorSpec {
  name?: string;
  namespace?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

interface GeneratorOptions {
  disableNameSuffixHash?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  immutable?: boolean;
}

/** kustomize strips one pair of matching quotes around a literal's value. */
function unquote(literal: string): string {
  const eq = literal.indexOf('=');
  if (eq < 0) return literal;
  const value = literal.slice(eq + 1);
  const m = /^(["'])(.*)\1$/s.exec(value);
  return m ? `${literal.slice(0, eq + 1)}${m[2]}` : literal;
}

function generate(kind: 'ConfigMap' | 'Secret', g: GeneratorSpec, global: GeneratorOptions, dir: string): Tracked {
  if (!g.name) throw new CliError(`a ${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} entry needs a name`);
  if (g.behavior && g.behavior !== 'create') throw new CliError(`generator behavior "${g.behavior}" is not supported by kctl (only create)`);
  const sources: DataSource[] = [
    ...(g.literals ?? []).map((spec) => ({ kind: 'literal' as const, spec: unquote(spec) })),
    ...(g.files ?? []).map((spec) => ({ kind: 'file' as const, spec })),
    ...[...(g.envs ?? []), ...(g.env ? [g.env] : [])].map((spec) => ({ kind: 'env-file' as const, spec })),
  ];
  const entries = collectData(sources, configMapKeyRules(g.name), dir);
  const options = { ...global, ...(g.options ?? {}) };
  const labels = { ...(global.labels ?? {}), ...(g.options?.labels ?? {}) };
  const annotations = { ...(global.annotations ?? {}), ...(g.options?.annotations ?? {}) };
  const metadata: Record<string, any> = { name: g.name };
  if (g.namespace) metadata.namespace = g.namespace;
  if (Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const obj: KubeObject = { apiVersion: 'v1', kind, metadata };
  if (kind === 'Secret') {
    if (entries.length) obj.data = Object.fromEntries(entries.map(([k, v]) => [k, v.toString('base64')]));
    obj.type = g.type || 'Opaque';
  } else {
    const text = entries.filter(([, v]) => utf8Text(v) !== undefined);
    const binary = entries.filter(([, v]) => utf8Text(v) === undefined);
    if (text.length) obj.data = Object.fromEntries(text.map(([k, v]) => [k, v.toString('utf8')]));
    if (binary.length) obj.binaryData = Object.fromEntries(binary.map(([k, v]) => [k, v.toString('base64')]));
  }
  if (options.immutable) obj.immutable = true;
  return { obj, names: new Set([g.name]), needsHash: !options.disableNameSuffixHash };
}

/** kustomize hashes a generated object's content with an empty name, so renaming keeps the hash. */
export function kustomizeHash(obj: KubeObject): string {
  const unnamed = { ...obj, metadata: { ...obj.metadata, name: '' }, data: obj.data ?? {} };
  return obj.kind === 'Secret' ? secretHash(unnamed) : configMapHash(unnamed);
}

interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

function matchesTarget(t: Tracked, target: PatchTarget): boolean {
  const [group, version] = t.obj.apiVersion!.includes('/') ? t.obj.apiVersion!.split('/') : ['', t.obj.apiVersion!];
  const anchored = (pattern: string | undefined, value: string) => pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
  if (target.group !== undefined && target.group !== group) return false;
  if (target.version !== undefined && target.version !== version) return false;
  if (!anchored(target.kind, t.obj.kind!)) return false;
  if (target.name !== undefined && ![...t.names].some((n) => anchored(target.name, n))) return false;
  if (target.namespace !== undefined && !anchored(target.namespace, t.obj.metadata.namespace ?? '')) return false;
  if (target.labelSelector) {
    for (const pair of target.labelSelector.split(',')) {
      const [k, v] = pair.split('=');
      if (t.obj.metadata.labels?.[k.trim()] !== v?.trim()) return false;
    }
  }
  return true;
}

function patchText(entry: { path?: string; patch?: string }, dir: string): string {
  if (entry.patch !== undefined) return entry.patch;
  if (entry.path) {
    try {
      return readFileSync(resolve(dir, entry.path), 'utf8');
    } catch {
      throw new CliError(`patch file ${entry.path} cannot be read: open ${resolve(dir, entry.path)}: no such file or directory`);
    }
  }
  throw new CliError('a patch needs either path or patch');
}

function applyPatch(resources: Tracked[], text: string, target: PatchTarget | undefined): void {
  const value = parse(text);
  if (Array.isArray(value)) {
    if (!target) throw new CliError('a JSON 6902 patch needs a target');
    const matched = resources.filter((t) => matchesTarget(t, target));
    if (!matched.length) throw new CliError(`no resource matches the target of patch ${JSON.stringify(target)}`);
    for (const t of matched) t.obj = applyJsonPatch(t.obj, value) as KubeObject;
    return;
  }
  if (!value || typeof value !== 'object') throw new CliError('a patch must be a strategic merge patch (an object) or a JSON 6902 patch (a list)');
  const own: PatchTarget = { kind: value.kind, name: value.metadata?.name };
  const matched = resources.filter((t) => matchesTarget(t, target ?? own));
  if (!matched.length) {
    throw new CliError(`no matches for Id ${value.kind}/${value.metadata?.name}; failed to find unique target for patch ${value.kind}/${value.metadata?.name}`);
  }
  for (const t of matched) {
    const patch = target ? { ...value, metadata: { ...(value.metadata ?? {}), name: t.obj.metadata.name } } : value;
    t.obj = applyStrategicMergePatch(t.obj as any, patch, t.obj.kind!) as KubeObject;
  }
}

interface ImageSpec {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** The image without its tag or digest (a registry port's colon is not a tag). */
function imageName(image: string): string {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  return colon > slash ? base.slice(0, colon) : base;
}

function setImages(t: Tracked, images: ImageSpec[]): void {
  const spec = podSpecOf(t.obj);
  if (!spec) return;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    if (typeof c.image !== 'string') continue;
    const image = images.find((i) => i.name === imageName(c.image));
    if (!image) continue;
    const at = c.image.indexOf('@');
    const base = at >= 0 ? c.image.slice(0, at) : c.image;
    const slash = base.lastIndexOf('/');
    const colon = base.lastIndexOf(':');
    let tag = colon > slash ? base.slice(colon) : '';
    let digest = at >= 0 ? c.image.slice(at) : '';
    if (image.newTag !== undefined) {
      tag = `:${image.newTag}`;
      digest = '';
    }
    if (image.digest !== undefined) {
      digest = `@${image.digest}`;
      tag = '';
    }
    c.image = `${image.newName ?? image.name}${tag}${digest}`;
  }
}

function buildDir(dir: string, warnings: string[], visiting: Set<string>): Tracked[] {
  if (visiting.has(dir)) throw new CliError(`cycle detected: ${dir} includes itself`);
  visiting.add(dir);
  const file = kustomizationFile(dir);
  let k: Record<string, any>;
  try {
    k = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (k.kind && k.kind !== 'Kustomization') throw new CliError(`${file}: kind ${k.kind} is not supported by kctl (only Kustomization)`);
  const unsupported = Object.keys(k).filter((f) => !SUPPORTED.includes(f));
  if (unsupported.length) {
    throw new CliError(`${file}: kustomization field${unsupported.length > 1 ? 's' : ''} ${unsupported.map((f) => `"${f}"`).join(', ')} not supported by kctl (supported: ${SUPPORTED.slice(2).join(', ')})`);
  }
  for (const [field, instead] of Object.entries(DEPRECATED)) {
    if (k[field] !== undefined) warnings.push(`# Warning: '${field}' is deprecated. Please use '${instead}' instead. Run 'kustomize edit fix' to update your Kustomization automatically.`);
  }
  const resources: Tracked[] = [];
  for (const entry of [...(k.resources ?? []), ...(k.bases ?? [])] as string[]) {
    if (/^[a-z]+:\/\//.test(entry) || entry.startsWith('github.com/')) throw new CliError(`remote resource ${entry} is not supported by kctl: use a local copy`);
    const path = resolve(dir, entry);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new CliError(`accumulating resources: accumulation err='accumulating resources from '${entry}': open ${path}: no such file or directory'`);
    }
    if (isDir) resources.push(...buildDir(path, warnings, visiting));
    else for (const obj of readDocs(path)) resources.push({ obj, names: new Set([obj.metadata.name!]), needsHash: false });
  }
  const options: GeneratorOptions = k.generatorOptions ?? {};
  for (const g of k.configMapGenerator ?? []) resources.push(generate('ConfigMap', g, options, dir));
  for (const g of k.secretGenerator ?? []) resources.push(generate('Secret', g, options, dir));
  for (const p of k.patchesStrategicMerge ?? []) {
    const text = typeof p === 'string' && !p.includes('\n') && !p.trimStart().startsWith('{') ? patchText({ path: p }, dir) : String(p);
    for (const doc of parseAllDocuments(text)) applyPatch(resources, String(doc), undefined);
  }
  for (const p of k.patches ?? []) applyPatch(resources, patchText(p, dir), p.target);
  for (const p of k.patchesJson6902 ?? []) applyPatch(resources, patchText(p, dir), p.target);
  for (const t of resources) {
    if (k.namespace && !CLUSTER_SCOPED.has(t.obj.kind!)) t.obj.metadata.namespace = k.namespace;
    if ((k.namePrefix || k.nameSuffix) && t.obj.kind !== 'Namespace' && t.obj.kind !== 'CustomResourceDefinition') {
      rename(t, `${k.namePrefix ?? ''}${t.obj.metadata.name}${k.nameSuffix ?? ''}`);
    }
    if (k.commonLabels) for (const m of labelMaps(t.obj, true, true)) Object.assign(m, k.commonLabels);
    for (const l of k.labels ?? []) for (const m of labelMaps(t.obj, !!l.includeSelectors, !!l.includeTemplates)) Object.assign(m, l.pairs ?? {});
    if (k.commonAnnotations) for (const m of annotationMaps(t.obj)) Object.assign(m, k.commonAnnotations);
    if (k.images) setImages(t, k.images);
    for (const r of k.replicas ?? []) if (t.names.has(r.name) && SCALABLE.has(t.obj.kind!)) (t.obj.spec ??= {}).replicas = r.count;
  }
  visiting.delete(dir);
  return resources;
}

/** Empty label and annotation maps the transformers created are not printed, as kustomize leaves none. */
function pruneEmpty(obj: any): void {
  if (!obj || typeof obj !== 'object') return;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if ((key === 'labels' || key === 'annotations') && v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) delete obj[key];
    else if ((key === 'metadata' || key === 'template' || key === 'jobTemplate' || key === 'spec') && v && typeof v === 'object') {
      pruneEmpty(v);
      if (key === 'metadata' && Object.keys(v).length === 0) delete obj[key];
    }
  }
}

export function kustomizeBuild(dir: string): BuildResult {
  const warnings: string[] = [];
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new CliError(`must build at directory: not a valid directory: evalsymlink failure on '${dir}' : lstat ${resolve(dir)}: no such file or directory`);
  }
  if (!isDir) throw new CliError(`must build at directory: '${resolve(dir)}': file is not directory`);
  const resources = buildDir(resolve(dir), warnings, new Set());
  for (const t of resources) {
    if (t.needsHash) rename(t, `${t.obj.metadata.name}-${kustomizeHash(t.obj)}`);
    pruneEmpty(t.obj);
  }
  // References written for any name a ConfigMap, Secret, ServiceAccount... had now name its last.
  for (const t of resources) {
    for (const r of nameRefs(t.obj)) {
      const current = r.get();
      const target = resources.find((o) => isKind(o, r.kind) && current !== undefined && o.names.has(current));
      if (target) r.set(target.obj.metadata.name!);
    }
  }
  return { objects: resources.map((t) => t.obj).sort(legacyOrder), warnings };
}
