// kctl: the command line. Each command lives in its own file under commands/ and loads what it
// needs (YAML, printers, describers) only when it runs, so `kctl get` starts fast.
import { Command, CommanderError } from 'commander';
import { ApiError } from '../api/errors.js';
import { CliError } from './errors.js';

type Register = (program: Command) => void;

// Only the command being run is loaded: `kctl get` never pays for YAML parsing or describers.
export const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  apply: () => import('./commands/apply.js'),
  create: () => import('./commands/create.js'),
  get: () => import('./commands/get.js'),
  describe: () => import('./commands/describe.js'),
  delete: () => import('./commands/delete.js'),
  logs: () => import('./commands/logs.js'),
  exec: () => import('./commands/exec.js'),
  'port-forward': () => import('./commands/port-forward.js'),
  wait: () => import('./commands/wait.js'),
  'api-resources': () => import('./commands/api-resources.js'),
  version: () => import('./commands/version.js'),
  label: () => import('./commands/label.js'),
  annotate: () => import('./commands/annotate.js'),
  taint: () => import('./commands/taint.js'),
  cordon: () => import('./commands/cordon.js'),
  uncordon: () => import('./commands/uncordon.js'),
  drain: () => import('./commands/drain.js'),
  cluster: () => import('./commands/cluster/index.js'),
  machine: () => import('./commands/machine/index.js'),
  token: () => import('./commands/token.js'),
  init: () => import('./commands/init.js'),
  join: () => import('./commands/join.js'),
  reset: () => import('./commands/reset.js'),
  images: () => import('./commands/images.js'),
  scale: () => import('./commands/scale.js'),
  autoscale: () => import('./commands/autoscale.js'),
  rollout: () => import('./commands/rollout/index.js'),
  set: () => import('./commands/set/index.js'),
  expose: () => import('./commands/expose.js'),
  patch: () => import('./commands/patch.js'),
  run: () => import('./commands/run.js'),
  config: () => import('./commands/config/index.js'),
  'cluster-info': () => import('./commands/cluster-info.js'),
  'api-versions': () => import('./commands/api-versions.js'),
  events: () => import('./commands/events.js'),
  replace: () => import('./commands/replace.js'),
  diff: () => import('./commands/diff.js'),
  edit: () => import('./commands/edit.js'),
  kustomize: () => import('./commands/kustomize.js'),
  explain: () => import('./commands/explain.js'),
  completion: () => import('./commands/completion.js'),
  proxy: () => import('./commands/proxy.js'),
  cp: () => import('./commands/cp.js'),
  attach: () => import('./commands/attach.js'),
  auth: () => import('./commands/auth/index.js'),
  top: () => import('./commands/top.js'),
};

/** Global options that take a value, so their value is not mistaken for the command name. */
const GLOBAL_WITH_VALUE = new Set(['--kubeconfig', '--context', '-s', '--server', '--token', '-n', '--namespace', '--as', '--as-group']);

function commandName(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (GLOBAL_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('kctl')
    .description('kctl controls a kctl (Kubernetes-style) cluster. Its commands and flags follow kubectl.')
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else $KCTL_HOME/kubeconfig)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-s, --server <url>', 'the address of the API server')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('-n, --namespace <ns>', 'the namespace scope for this request')
    .option('--insecure-skip-tls-verify', 'do not check the server certificate (https servers)')
    .option('--as <user>', 'username to impersonate for the operation (a user or system:serviceaccount:NS:NAME)')
    .option('--as-group <group>', 'group to impersonate for the operation; repeat for several', (g: string, all: string[] = []) => [...all, g])
    .showHelpAfterError()
    .exitOverride();
  const name = commandName(argv);
  const wanted = name && COMMANDS[name] ? [COMMANDS[name]] : Object.values(COMMANDS);
  for (const load of wanted) (await load()).register(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

function report(err: unknown): number {
  if (err instanceof ApiError) {
    process.stderr.write(`Error from server (${err.reason}): ${err.message}\n`);
    return 1;
  }
  if (err instanceof CliError) {
    process.stderr.write(`${err.bare ? '' : 'error: '}${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) return err.exitCode;
  // Whatever went wrong, one line: a stack trace helps no user (KCTL_DEBUG=1 shows it).
  const detail = process.env.KCTL_DEBUG ? (err as Error)?.stack : (err as Error)?.message?.split('\n')[0];
  process.stderr.write(`error: ${detail ?? String(err)}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.exitCode = report(err);
  }
}
