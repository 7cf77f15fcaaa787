// The kctl program: its global flags, the commands given to it, and how an error is reported
// (kubectl's one line and exit code). main.ts gives it the commands it loaded; each bundled
// command (scripts/bundle-cli.mjs) gives it its own.
import { Command, CommanderError } from 'commander';
import { ApiError } from '../api/errors.js';
import { CliError } from './errors.js';
import { processStreams, type IOStreams } from './io-streams.js';

/** What a command module exports: it adds its command to the program, writing to the streams given. */
export type Register = (program: Command, io: IOStreams) => void;

export function buildProgram(registers: readonly Register[], io: IOStreams): Command {
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
    // Help and commander's own errors go to the streams too; the commands added below inherit this.
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.errOut.write(s),
      getOutHelpWidth: () => (io.out.isTTY ? io.out.columns : undefined) ?? 80,
      getErrHelpWidth: () => (io.errOut.isTTY ? io.errOut.columns : undefined) ?? 80,
    })
    .showHelpAfterError()
    .exitOverride();
  for (const register of registers) register(program, io);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

function report(err: unknown, io: IOStreams): number {
  if (err instanceof ApiError) {
    io.errOut.write(`Error from server (${err.reason}): ${err.message}\n`);
    return 1;
  }
  if (err instanceof CliError) {
    io.errOut.write(`${err.bare ? '' : 'error: '}${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) return err.exitCode;
  // Whatever went wrong, one line: a stack trace helps no user (KCTL_DEBUG=1 shows it).
  const detail = process.env.KCTL_DEBUG ? (err as Error)?.stack : (err as Error)?.message?.split('\n')[0];
  io.errOut.write(`error: ${detail ?? String(err)}\n`);
  return 1;
}

/**
 * Runs the command the arguments name and reports an error as kubectl does; the exit code goes to
 * process.exitCode (where commands that fail part-way put theirs too) and is returned.
 */
export async function run(argv: readonly string[], registers: readonly Register[], io: IOStreams = processStreams()): Promise<number> {
  try {
    await buildProgram(registers, io).parseAsync([...argv], { from: 'user' });
  } catch (err) {
    process.exitCode = report(err, io);
  }
  return Number(process.exitCode ?? 0);
}
