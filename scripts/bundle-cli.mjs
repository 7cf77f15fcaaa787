// Bundles kctl's parts with esbuild. Run by `npm run build` after tsc.
//
// The CLI goes into dist/cli/ as CommonJS, one self-contained file per top-level command
// (get.cjs: commander, the program, `get` and what it imports), plus kctl.cjs with every command
// (for help, an unknown command and completion) and command-table.cjs, which bin/kctl asks which
// file to run. bin/kctl compiles the file from V8's code cache. Measured against the earlier
// ES-module chunks (one entry, a chunk per command and per shared module): Node's ES module loader
// resolves, reads and compiles each of the ~17 files `get` needed without a code cache, and its
// start-up alone costs ~5 ms; one file per command read by require's plain path with a code cache
// takes ~15 ms less CPU per run. One file for every command (3 MB) was slower again: Node reads
// and pre-parses all of it to run one command.
//
// The node agent and the API server are bundled as ES modules into dist/agent/ and dist/apiserver/
// (bin/kctl-node and bin/kctl-apiserver run them while fresh): their start is on the path of every
// `cluster up` and `kctl join`, and loading them bundled takes a third of the time (measured: agent
// 660 ms -> 220 ms, API server 340-540 ms -> 110-160 ms).
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMAND_MODULES } from '../dist/src/cli/command-table.js';

const src = (p) => fileURLToPath(new URL(`../src/${p}`, import.meta.url));

// Written beside and then swapped in, so a program started meanwhile finds the old bundle whole, or
// none (and then its bin/ script runs tsc's output).
async function bundle(outdir, options) {
  const next = `${outdir}.next-${process.pid}`;
  await build({ outdir: next, bundle: true, platform: 'node', target: 'node20', external: ['better-sqlite3'], logLevel: 'warning', ...options });
  rmSync(outdir, { recursive: true, force: true });
  renameSync(next, outdir);
}

// yaml's Node build is CommonJS, and a dynamic import() of a bundled CommonJS module yields its
// default export only (as Node gives), so `const { parse } = await import('yaml')` would find no
// parse. Its ESM build (the same code, the package's "default" export) keeps the named exports.
const yamlEsm = {
  name: 'yaml-esm',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: fileURLToPath(import.meta.resolve('yaml').replace(/dist\/index\.js$/, 'browser/index.js')) }));
  },
};

// commander requires node:child_process at load, for executable subcommands kctl never has; Node
// then loads child_process, dgram and net's extras (~6% of `kctl get`'s run). It gets spawn when
// it asks for it instead. The commands that run programs import child_process themselves.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({ contents: "module.exports = { get spawn() { return require('node:child_process').spawn; } };", loader: 'js' }));
  },
};

// Libraries several commands use and most runs do not need (YAML, WebSocket) are files of their own
// under lib/, required by relative path (bin/kctl loads them as it loads a command): `kctl get`
// reads 200 KB instead of 650 KB.
const LIBRARIES = {
  yaml: fileURLToPath(import.meta.resolve('yaml').replace(/dist\/index\.js$/, 'browser/index.js')),
  'yaml-util': fileURLToPath(import.meta.resolve('yaml').replace(/dist\/index\.js$/, 'browser/dist/util.js')),
  ws: fileURLToPath(import.meta.resolve('ws').replace(/index\.js$/, 'wrapper.mjs')),
};
const sharedLibraries = {
  name: 'shared-libraries',
  setup(b) {
    b.onResolve({ filter: /^(yaml|yaml\/util|ws)$/ }, (args) => ({ path: `./lib/${args.path.replace('/', '-')}.cjs`, external: true }));
  },
};

// Each command's entry: the program with that command alone; kctl.cjs: with all of them, each
// loaded when the program is built (help, completion).
const entries = {
  ...Object.fromEntries(
    Object.entries(COMMAND_MODULES).map(([name, module]) => [
      name,
      `import { run } from ${JSON.stringify(src('cli/program.ts'))};
import { register } from ${JSON.stringify(src(`cli/commands/${module}.ts`))};
export const main = (argv) => run(argv, [register]);`,
    ]),
  ),
  kctl: `import { run } from ${JSON.stringify(src('cli/program.ts'))};
const modules = [${Object.values(COMMAND_MODULES).map((m) => `import(${JSON.stringify(src(`cli/commands/${m}.ts`))})`).join(', ')}];
export const main = async (argv) => run(argv, (await Promise.all(modules)).map((m) => m.register));`,
};
const virtualEntries = {
  name: 'entries',
  setup(b) {
    b.onResolve({ filter: /^entry:/ }, (args) => ({ path: args.path.slice('entry:'.length), namespace: 'entry' }));
    b.onLoad({ filter: /.*/, namespace: 'entry' }, (args) => ({ contents: entries[args.path], loader: 'ts', resolveDir: src('cli') }));
  },
};

await bundle('dist/cli', {
  entryPoints: {
    ...Object.fromEntries(Object.keys(entries).map((name) => [name, `entry:${name}`])),
    'command-table': src('cli/command-table.ts'),
    ...Object.fromEntries(Object.entries(LIBRARIES).map(([name, path]) => [`lib/${name}`, path])),
  },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // Dynamic import() becomes require(): bin/kctl runs the files through vm, which has no ES module loader.
  supported: { 'dynamic-import': false },
  plugins: [virtualEntries, sharedLibraries, lazyChildProcess],
  // import.meta.url (finding the repository from a module) as it would be for this file.
  define: { 'import.meta.url': '__kctlImportMetaUrl' },
  banner: { js: 'var __kctlImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  // main.ts loads commands by a computed path, which a bundle cannot follow: a command that imports
  // main.ts would fail when run bundled, so the build fails instead.
  logOverride: { 'empty-glob': 'error' },
});

const esm = {
  bundle: true,
  splitting: true,
  format: 'esm',
  plugins: [yamlEsm],
  // Bundled CommonJS dependencies (commander, yaml, ...) call require() on Node's built-ins.
  banner: { js: 'import { createRequire as __kctlCreateRequire } from "node:module"; const require = __kctlCreateRequire(import.meta.url);' },
};
await bundle('dist/agent', { ...esm, entryPoints: { 'kctl-node': src('nodeagent/main.ts') } });
await bundle('dist/apiserver', { ...esm, entryPoints: { 'kctl-apiserver': src('apiserver/main.ts') } });
