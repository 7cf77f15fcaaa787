// The source's import graph keeps the shape docs/design.md describes: imports point down (the CLI
// and node agents to src/api, controllers and the scheduler to the client interface, never to the
// registry) and there are no cycles (type-only imports included: a cycle of types is still two
// modules that cannot be understood apart).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's src/ (these tests run from dist/test/unit/). */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

/** Static imports and re-exports of relative modules; `import()` is lazy loading and left out. */
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Module (path under src/) -> the modules it imports. */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(IMPORT)].map((m) => relative(root, resolve(dirname(file), m[1]).replace(/\.js$/, '.ts')));
    graph.set(relative(root, file), deps);
  }
  return graph;
}

/** The strongly connected components with more than one module (Tarjan's algorithm), or a module importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('cycles: finds a cycle of three and ignores a chain', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts', 'd.ts']],
    ['d.ts', ['e.ts']],
    ['e.ts', []],
  ]);
  assert.deepEqual(cycles(graph), [['a.ts', 'b.ts', 'c.ts']]);
});

test('the graph is read from the sources, type-only imports included', () => {
  const graph = importGraph(SRC);
  assert.ok(graph.size > 300, `only ${graph.size} modules found under ${SRC}`);
  assert.ok(graph.get('nodeagent/pods/pod-sync.ts')!.includes('nodeagent/pods/start-error.ts'));
  assert.ok(graph.get('apiserver/scheduler/plugins/volume-binding.ts')!.includes('apiserver/scheduler/framework.ts'));
  assert.ok(graph.get('cli/commands/images.ts')!.includes('nodeagent/machine-runtime.ts'));
});

test('src/ has no import cycles', () => {
  const found = cycles(importGraph(SRC));
  assert.deepEqual(found.map((c) => c.join(' -> ')), []);
});

/** Who may not import whom: [importer folder, imported folder, the exception if any]. */
const FORBIDDEN: Array<[string, string, string?]> = [
  ['api/', 'apiserver/'],
  ['api/', 'nodeagent/'],
  ['api/', 'cli/'],
  ['nodeagent/', 'apiserver/'],
  ['nodeagent/', 'cli/'],
  ['cli/', 'apiserver/'],
  // The CLI reaches a machine's engine and network through the agent's one entry.
  ['cli/', 'nodeagent/', 'nodeagent/machine-runtime.ts'],
  ['apiserver/controllers/', 'apiserver/registry/'],
  ['apiserver/controllers/', 'apiserver/storage/'],
  ['apiserver/controllers/', 'apiserver/http/'],
  ['apiserver/scheduler/', 'apiserver/registry/'],
  ['apiserver/scheduler/', 'apiserver/storage/'],
  ['apiserver/scheduler/', 'apiserver/http/'],
  ['apiserver/scheduler/', 'apiserver/controllers/'],
  // The daemon's main.ts starts the scheduler beside the controllers.
  ['apiserver/controllers/controller-manager.ts', 'apiserver/scheduler/'],
];

test('imports point down: no module imports a layer above it', () => {
  const graph = importGraph(SRC);
  const wrong: string[] = [];
  for (const [from, deps] of graph) {
    for (const to of deps) {
      for (const [importer, imported, allowed] of FORBIDDEN) {
        if (from.startsWith(importer) && to.startsWith(imported) && to !== allowed) wrong.push(`${from} -> ${to}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
