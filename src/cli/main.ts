// kctl: the command line. Each command lives in its own file under commands/ and loads what it
// needs (YAML, printers, describers) only when it runs, so `kctl get` starts fast.
import { Command, CommanderError } from 'commander';
import { ApiError } from '../api/errors.js';
import { CliError } from './errors.js';
import { register as registerApply } from './commands/apply.js';
import { register as registerCreate } from './commands/create.js';
import { register as registerGet } from './commands/get.js';
import { register as registerDescribe } from './commands/describe.js';
import { register as registerDelete } from './commands/delete.js';
import { register as registerApiResources } from './commands/api-resources.js';
import { register as registerVersion } from './commands/version.js';
import { register as registerCluster } from './commands/cluster/index.js';

export function buildProgram(): Command {
  const program = new Command('kctl')
    .description('kctl controls a kctl (Kubernetes-style) cluster. Its commands and flags follow kubectl.')
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else $KCTL_HOME/kubeconfig)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-s, --server <url>', 'the address of the API server')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('-n, --namespace <ns>', 'the namespace scope for this request')
    .option('--insecure-skip-tls-verify', 'do not check the server certificate (https servers)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of [
    registerApply,
    registerCreate,
    registerGet,
    registerDescribe,
    registerDelete,
    registerApiResources,
    registerVersion,
    registerCluster,
  ]) {
    register(program);
  }
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

function report(err: unknown): number {
  if (err instanceof ApiError) {
    process.stderr.write(`Error from server (${err.reason}): ${err.message}\n`);
    return 1;
  }
  if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) return err.exitCode;
  process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.exitCode = report(err);
  }
}
