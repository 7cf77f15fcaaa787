#!/usr/bin/env node
// Derives what the OpenAPI documents need beyond the validation schemas
// (src/apiserver/registry/schemas/kubernetes.json, made by generate-schemas.mjs): each definition's
// Kubernetes name (`io.k8s.api.core.v1.PodSpec`) and the field descriptions, read from the doc
// comments of the `kubernetes-types` devDependency (Kubernetes' own descriptions, for the API
// version it names), plus the list kinds and the other types that paths refer to (ListMeta, Status,
// DeleteOptions, WatchEvent, the subresources' kinds). Run `node scripts/generate-openapi-docs.mjs` after
// generate-schemas.mjs; the output, src/apiserver/openapi/schema-docs.json, is committed, so the
// build needs neither this script nor the network.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { loadResources } from './resource-catalogue.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typesRoot = join(root, 'node_modules/kubernetes-types');
const schemas = JSON.parse(readFileSync(join(root, 'src/apiserver/registry/schemas/kubernetes.json'), 'utf8')).definitions;
const outFile = join(root, 'src/apiserver/openapi/schema-docs.json');

/** The Go package a kubernetes-types file mirrors, as Kubernetes names definitions. */
function goPackage(file) {
  const rel = relative(typesRoot, file).replace(/\.d\.ts$/, '');
  if (rel === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (rel === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (rel === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (rel === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (rel.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${rel.split('/')[1]}`;
  const [group, version] = rel.split('/');
  return `io.k8s.api.${group}.${version}`;
}

/** A doc comment's text, Kubernetes' paragraphs kept (`\n\n`), the comment markers gone. */
function docOf(text, node) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const jsdoc = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!jsdoc) return undefined;
  const body = text.slice(jsdoc.pos + 3, jsdoc.end - 2);
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  return lines.join('\n').trim();
}

const files = new Map();

/** Interfaces, type aliases and imports of one kubernetes-types file. */
function parse(file) {
  if (files.has(file)) return files.get(file);
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const parsed = { file, decls: new Map(), imports: new Map() };
  for (const stmt of source.statements) {
    if (ts.isImportDeclaration(stmt)) {
      const from = join(dirname(file), `${stmt.moduleSpecifier.text}.d.ts`);
      for (const el of stmt.importClause?.namedBindings?.elements ?? []) parsed.imports.set(el.name.text, from);
    } else if (ts.isInterfaceDeclaration(stmt)) {
      const properties = {};
      const types = {};
      const required = [];
      for (const m of stmt.members) {
        if (!ts.isPropertySignature(m)) continue;
        const name = m.name.text ?? m.name.getText(source);
        properties[name] = docOf(text, m);
        types[name] = m.type;
        if (!m.questionToken) required.push(name);
      }
      parsed.decls.set(stmt.name.text, { description: docOf(text, stmt), properties, types, required });
    } else if (ts.isTypeAliasDeclaration(stmt)) {
      parsed.decls.set(stmt.name.text, { description: docOf(text, stmt), properties: {}, types: {}, required: [], alias: stmt.type });
    }
  }
  files.set(file, parsed);
  return parsed;
}

/** Where a name used in `file` is declared (its own declaration or an import). */
function resolveName(file, name) {
  const f = parse(file);
  if (f.decls.has(name)) return { file, name };
  const from = f.imports.get(name);
  return from && existsSync(from) ? resolveName(from, name) : undefined;
}

/** The type names a type node refers to. */
function referencedNames(node, out = []) {
  if (!node) return out;
  if (ts.isTypeReferenceNode(node)) {
    out.push(node.typeName.getText());
    node.typeArguments?.forEach((t) => referencedNames(t, out));
  } else {
    // forEachChild stops at the first callback that returns a truthy value: return nothing.
    ts.forEachChild(node, (c) => {
      referencedNames(c, out);
    });
  }
  return out;
}

function typesFile(r) {
  return join(typesRoot, r.group ? r.group.split('.')[0] : 'core', `${r.version}.d.ts`);
}

/** generate-schemas.mjs's name for a type that clashes with an earlier one: `DiscoveryV1EndpointPort`. */
function clashName(file, name) {
  const [group, version] = relative(typesRoot, file).replace(/\.d\.ts$/, '').split('/');
  return `${group.replace(/^./, (c) => c.toUpperCase())}${(version ?? '').toUpperCase()}${name}`;
}

const resources = await loadResources();
const definitions = {};
const seen = new Map();
function visit(file, name) {
  const key = `${file}#${name}`;
  if (seen.has(key)) return;
  const decl = parse(file).decls.get(name);
  const schemaName = clashName(file, name) in schemas ? clashName(file, name) : name;
  seen.set(key, schemaName);
  if (schemaName in schemas && !definitions[schemaName]) {
    definitions[schemaName] = { name: `${goPackage(file)}.${name}`, description: decl.description, properties: decl.properties };
  }
  for (const t of [...Object.values(decl.types), decl.alias]) {
    for (const ref of referencedNames(t)) {
      const target = resolveName(file, ref);
      if (target) visit(target.file, target.name);
    }
  }
}
for (const r of resources) visit(typesFile(r), r.kind);
const missing = Object.keys(schemas).filter((n) => !definitions[n]);
if (missing.length) throw new Error(`no kubernetes-types declaration found for ${missing.join(', ')}`);

// The list kind of each resource, described as Kubernetes describes it.
const lists = {};
for (const r of resources) {
  const file = typesFile(r);
  const decl = parse(file).decls.get(`${r.kind}List`);
  if (!decl) throw new Error(`kubernetes-types has no ${r.kind}List`);
  lists[r.kind] = { name: `${goPackage(file)}.${r.kind}List`, description: decl.description, properties: decl.properties };
}

// The types the paths use besides the resources (ListMeta, Status, DeleteOptions, WatchEvent, and
// the subresources' Scale, Eviction, Binding, TokenRequest), as schemas, with what they refer to.
// They are simple: strings, integers, booleans, lists, string maps and references.
const known = new Set(Object.values(definitions).map((d) => d.name));
const extra = {};
function schemaOf(file, node) {
  if (node.kind === ts.SyntaxKind.StringKeyword || (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal))) return { type: 'string' };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: 'integer' };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: schemaOf(file, node.elementType) };
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    return { type: 'object', additionalProperties: schemaOf(file, index.type) };
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === 'Array') return { type: 'array', items: schemaOf(file, node.typeArguments[0]) };
    if (name === 'Record') return { type: 'object', additionalProperties: schemaOf(file, node.typeArguments[1]) };
    const target = resolveName(file, name);
    if (!target) throw new Error(`cannot resolve ${name}`);
    return { $ref: `#/definitions/${addExtra(target.file, target.name)}` };
  }
  throw new Error(`unsupported type ${node.getText()}`);
}
function addExtra(file, name) {
  const full = `${goPackage(file)}.${name}`;
  if (known.has(full) || extra[full]) return full;
  const decl = parse(file).decls.get(name);
  extra[full] = { description: decl.description };
  if (decl.alias) Object.assign(extra[full], schemaOf(file, decl.alias));
  else {
    const properties = {};
    for (const [prop, type] of Object.entries(decl.types)) properties[prop] = { description: decl.properties[prop], ...schemaOf(file, type) };
    Object.assign(extra[full], { type: 'object', ...(decl.required.length ? { required: decl.required } : {}), properties });
  }
  return full;
}
const META = join(typesRoot, 'meta/v1.d.ts');
for (const name of ['ListMeta', 'Status', 'DeleteOptions', 'WatchEvent']) addExtra(META, name);
// A patch body is free-form: a JSON, merge or strategic merge patch, or an apply configuration.
// RawExtension is a resource's field too once ControllerRevision is served: a definition already.
for (const [file, name] of [[META, 'Patch'], [join(typesRoot, 'runtime.d.ts'), 'RawExtension']]) {
  const full = addExtra(file, name);
  if (extra[full]) extra[full].type = 'object';
}
/** The subresources' kinds, with their group, version and kind. */
const subresourceKinds = {};
for (const [file, kind] of [['autoscaling/v1', 'Scale'], ['policy/v1', 'Eviction'], ['core/v1', 'Binding'], ['authentication/v1', 'TokenRequest']]) {
  const name = addExtra(join(typesRoot, `${file}.d.ts`), kind);
  const [group, version] = file.split('/');
  subresourceKinds[kind] = { name, group: group === 'core' ? '' : group === 'autoscaling' || group === 'policy' ? group : `${group}.k8s.io`, version, kind };
}

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify({ definitions, lists, extra, subresourceKinds }) + '\n');
console.log(`${Object.keys(definitions).length} definitions, ${Object.keys(lists).length} lists, ${Object.keys(extra).length} more types written to ${outFile}`);
