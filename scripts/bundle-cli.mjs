// Bundles the CLI with esbuild into dist/cli/: kctl.js (commander and the command table) plus one
// chunk per command and the modules commands share, so `kctl get` reads a few files instead of
// resolving and compiling hundreds of modules. Measured: one single file was slower than this, since
// Node then parses every command's code (3 MB) to run one. Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = 'dist/cli';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { kctl: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons cannot be bundled.
  external: ['better-sqlite3'],
  // Bundled CommonJS dependencies (commander, yaml, ...) call require() on Node's built-ins.
  banner: { js: 'import { createRequire as __kctlCreateRequire } from "node:module"; const require = __kctlCreateRequire(import.meta.url);' },
  logLevel: 'warning',
});
