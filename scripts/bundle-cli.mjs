// Bundles the CLI with esbuild into dist/cli/: kctl.js (commander and the command table) plus one
// chunk per command and the modules commands share, so `kctl get` reads a few files instead of
// resolving and compiling hundreds of modules. Measured: one single file was slower than this, since
// Node then parses every command's code (3 MB) to run one. Run by `npm run build` after tsc.
// The node agent and the API server are bundled the same way into dist/agent/ and dist/apiserver/
// (bin/kctl-node and bin/kctl-apiserver run them while fresh): their start is on the path of every
// `cluster up` and `kctl join`, and loading them bundled takes a third of the time (measured: agent
// 660 ms -> 220 ms, API server 340-540 ms -> 110-160 ms).
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Written beside and then swapped in, so a program started meanwhile finds the old bundle whole, or
// none (and then its bin/ script runs tsc's output).
async function bundle(outdir, entryPoints) {
  const next = `${outdir}.next-${process.pid}`;
  await build({
    entryPoints,
    outdir: next,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // yaml's Node build is CommonJS, and a dynamic import() of a bundled CommonJS module yields its
    // default export only (as Node gives), so `const { parse } = await import('yaml')` would find no
    // parse. Its ESM build (the same code, the package's "default" export) keeps the named exports.
    plugins: [
      {
        name: 'yaml-esm',
        setup(b) {
          b.onResolve({ filter: /^yaml$/ }, () => ({ path: fileURLToPath(import.meta.resolve('yaml').replace(/dist\/index\.js$/, 'browser/index.js')) }));
        },
      },
    ],
    // Native addons cannot be bundled.
    external: ['better-sqlite3'],
    // Bundled CommonJS dependencies (commander, yaml, ...) call require() on Node's built-ins.
    banner: { js: 'import { createRequire as __kctlCreateRequire } from "node:module"; const require = __kctlCreateRequire(import.meta.url);' },
    logLevel: 'warning',
  });
  rmSync(outdir, { recursive: true, force: true });
  renameSync(next, outdir);
}

await bundle('dist/cli', { kctl: 'src/cli/main.ts' });
await bundle('dist/agent', { 'kctl-node': 'src/nodeagent/main.ts' });
await bundle('dist/apiserver', { 'kctl-apiserver': 'src/apiserver/main.ts' });
