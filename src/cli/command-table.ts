// The top-level commands and the modules that register them: kctl loads only the command being
// run (main.ts imports its module; the bundle has one file per command, see scripts/bundle-cli.mjs).

/** Each top-level command and its module under commands/ (without .js). */
export const COMMAND_MODULES: Readonly<Record<string, string>> = {
  apply: 'apply',
  create: 'create',
  get: 'get',
  describe: 'describe',
  delete: 'delete',
  logs: 'logs',
  exec: 'exec',
  'port-forward': 'port-forward',
  wait: 'wait',
  'api-resources': 'api-resources',
  version: 'version',
  label: 'label',
  annotate: 'annotate',
  taint: 'taint',
  cordon: 'cordon',
  uncordon: 'uncordon',
  drain: 'drain',
  cluster: 'cluster/index',
  machine: 'machine/index',
  token: 'token',
  init: 'init',
  join: 'join',
  reset: 'reset',
  images: 'images',
  scale: 'scale',
  autoscale: 'autoscale',
  rollout: 'rollout/index',
  set: 'set/index',
  expose: 'expose',
  patch: 'patch',
  run: 'run',
  config: 'config/index',
  'cluster-info': 'cluster-info',
  'api-versions': 'api-versions',
  events: 'events',
  replace: 'replace',
  diff: 'diff',
  edit: 'edit',
  kustomize: 'kustomize',
  explain: 'explain',
  completion: 'completion',
  proxy: 'proxy',
  cp: 'cp',
  attach: 'attach',
  auth: 'auth/index',
  top: 'top',
};

/** Commands that work on the whole command tree (the completion script lists every command and flag). */
const NEEDS_EVERY_COMMAND = new Set(['completion']);

/**
 * Commands that work without a cluster (version asks one without --client; it pays ~25 ms more
 * then, see bin/kctl).
 */
const OFFLINE = new Set(['completion', 'config', 'kustomize', 'version']);

/** Global options that take a value, so their value is not mistaken for the command name. */
const GLOBAL_WITH_VALUE = new Set(['--kubeconfig', '--context', '-s', '--server', '--token', '-n', '--namespace', '--as', '--as-group']);

function commandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (GLOBAL_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * The one command these arguments run, when registering it alone is enough; undefined when every
 * command is needed (no command or an unknown one: help lists them all; completion).
 */
export function soleCommand(argv: readonly string[]): string | undefined {
  const name = commandName(argv);
  return name !== undefined && Object.hasOwn(COMMAND_MODULES, name) && !NEEDS_EVERY_COMMAND.has(name) ? name : undefined;
}

/** Whether these arguments run a command that connects to a cluster (help and offline commands do not). */
export function connectsToCluster(argv: readonly string[]): boolean {
  const name = commandName(argv);
  return name !== undefined && Object.hasOwn(COMMAND_MODULES, name) && !OFFLINE.has(name);
}
