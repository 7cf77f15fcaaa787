# shellcheck shell=bash
# Set-up shared by scripts/test.sh and scripts/quickstart.sh. Sourced, never run.
# Every step is skipped when already done, so repeat runs stay fast and quiet.

KCTL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Held while integration tests or benchmarks run: they own the machine's pod network, service
# rules and ports, so two runs at once (another checkout, a benchmark) wait for each other.
INTEGRATION_LOCK=/run/lock/kctl-integration.lock

log() { printf 'kctl: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# npm records what it installed in node_modules/.package-lock.json (its "hidden lockfile"),
# so comparing that with package-lock.json tells whether `npm ci` would change anything
# without paying for a run of npm itself.
node_modules_match_lock() {
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    const read = (path) => JSON.parse(readFileSync(path, "utf8"));
    const sortedEntries = (deps = {}) => JSON.stringify(Object.entries(deps).sort());
    try {
      const manifest = read("package.json");
      const lock = read("package-lock.json");
      const installed = read("node_modules/.package-lock.json").packages;
      const lockRoot = lock.packages[""];
      const lockMatchesManifest =
        sortedEntries(manifest.dependencies) === sortedEntries(lockRoot.dependencies) &&
        sortedEntries(manifest.devDependencies) === sortedEntries(lockRoot.devDependencies);
      // Optional packages for another platform are locked but never installed.
      const outdated = Object.entries(lock.packages).filter(([path, locked]) =>
        path !== "" && installed[path]?.version !== locked.version && !(locked.optional && !installed[path]));
      process.exit(lockMatchesManifest && outdated.length === 0 ? 0 : 1);
    } catch {
      process.exit(1);
    }
  '
}

ensure_node_modules() {
  if [[ ! -f package-lock.json ]]; then
    log "installing npm dependencies (npm install)"
    npm install --no-audit --no-fund || die "npm install failed"
  elif ! node_modules_match_lock; then
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund || die "npm ci failed"
  fi
}

# tsc compiles everything into dist/; the CLI is then bundled into dist/cli/ (what bin/kctl runs while
# it is newer than tsc's output).
build() {
  node_modules/.bin/tsc -p tsconfig.json || die "build failed (npx tsc -p tsconfig.json)"
  node scripts/bundle-cli.mjs || die "bundling the CLI failed (node scripts/bundle-cli.mjs)"
}

# Everything `npm test` and `npm run quickstart` need before they start: dependencies,
# a fresh build in dist/, and a Docker engine with the busybox used to build images offline.
setup() {
  cd "$KCTL_ROOT" || die "cannot enter $KCTL_ROOT"
  ensure_node_modules
  build
  bash "$KCTL_ROOT/scripts/ensure-docker.sh"
}
