// kctl exec: runs a command in a pod's container through the API server's pods/exec, over
// Kubernetes' WebSocket remotecommand protocol, and exits with the command's exit code.
import type { Command } from 'commander';
import type { WebSocket } from 'ws';
import { findByKind } from '../../api/resources.js';
import { resourcePath } from '../../api/http-client.js';
import { Channel, EXEC_SUBPROTOCOLS, decodeFrame, encodeFrame, encodeResize, execOutcome, type ExecOutcome } from '../../api/remotecommand.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { defaultContainer, podNameArg } from '../pod-target.js';
import type { IOStreams } from '../io-streams.js';

const PODS = findByKind('Pod')!;

export interface ExecFlags {
  container: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
}

/** The pods/exec query: the command word by word, and the streams to attach. */
export function execQuery(flags: ExecFlags): URLSearchParams {
  const q = new URLSearchParams();
  for (const word of flags.command) q.append('command', word);
  q.set('container', flags.container);
  if (flags.stdin) q.set('stdin', 'true');
  q.set('stdout', 'true');
  // A terminal carries stderr on stdout.
  if (!flags.tty) q.set('stderr', 'true');
  if (flags.tty) q.set('tty', 'true');
  return q;
}

/** Runs the session to its end: what the error channel said when the server closed. */
export function runSession(io: IOStreams, ws: WebSocket, flags: ExecFlags): Promise<ExecOutcome> {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  let status = '';
  const stdin = io.in;
  const cleanups: (() => void)[] = [];

  if (flags.stdin) {
    if (flags.tty) {
      stdin.setRawMode?.(true);
      cleanups.push(() => stdin.setRawMode?.(false));
    }
    const onData = (chunk: Buffer) => ws.send(encodeFrame(Channel.stdin, chunk));
    // v4 cannot say that stdin ended; the command then ends on its own.
    const onEnd = () => v5 && ws.readyState === ws.OPEN && ws.send(encodeFrame(Channel.close, Buffer.from([Channel.stdin])));
    stdin.on('data', onData).on('end', onEnd);
    cleanups.push(() => {
      stdin.off('data', onData).off('end', onEnd);
      // Nothing more is read: an open pipe must not keep kctl alive.
      stdin.destroy();
    });
  }
  if (flags.tty) {
    const sendSize = () => {
      if (io.out.columns && io.out.rows && ws.readyState === ws.OPEN) {
        ws.send(encodeResize({ width: io.out.columns, height: io.out.rows }));
      }
    };
    sendSize();
    io.out.on('resize', sendSize);
    cleanups.push(() => io.out.off('resize', sendSize));
  }

  return new Promise((resolve, reject) => {
    ws.on('message', (message: Buffer) => {
      const frame = decodeFrame(message);
      if (!frame) return;
      if (frame.channel === Channel.stdout) io.out.write(frame.data);
      else if (frame.channel === Channel.stderr) io.errOut.write(frame.data);
      else if (frame.channel === Channel.error) status += frame.data.toString('utf8');
    });
    ws.on('error', (err) => {
      cleanups.forEach((c) => c());
      reject(new CliError(`the exec connection failed: ${err.message}`));
    });
    ws.on('close', () => {
      cleanups.forEach((c) => c());
      resolve(execOutcome(status));
    });
  });
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('exec')
    .description('Execute a command in a container')
    .argument('<pod>', 'POD or pod/NAME')
    .argument('[command...]', 'the command and its arguments, after --')
    .option('-c, --container <name>', 'container name; default: the pod\'s default container (annotation kubectl.kubernetes.io/default-container), else its first')
    .option('-i, --stdin', 'pass stdin to the container', false)
    .option('-t, --tty', 'stdin is a TTY', false)
    .option('-q, --quiet', 'only print output from the remote session', false)
    .action(async (podArg: string, command: string[], opts, cmd: Command) => {
      if (command.length > 0 && !process.argv.includes('--')) {
        throw new CliError('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
      }
      if (command.length === 0) throw new CliError('you must specify at least one command for the container');
      let tty = opts.tty as boolean;
      // As kubectl: without -i there is no terminal, silently; with -i, only on a terminal.
      if (tty && !opts.stdin) tty = false;
      if (tty && !io.in.isTTY) {
        if (!opts.quiet) io.errOut.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
        tty = false;
      }
      const ctx = await connect(cmd);
      try {
        const pod = await ctx.client.get(PODS, ctx.namespace, podNameArg(podArg, 'exec'));
        const phase = pod.status?.phase;
        if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
        let container = opts.container as string | undefined;
        if (!container) {
          const chosen = defaultContainer(pod);
          if (!opts.quiet) for (const notice of chosen.notices) io.errOut.write(`${notice}\n`);
          container = chosen.container;
        }
        const flags: ExecFlags = { container, command, stdin: opts.stdin, tty };
        const path = `${resourcePath(PODS, ctx.namespace, pod.metadata.name, 'exec')}?${execQuery(flags)}`;
        const outcome = await runSession(io, await ctx.client.webSocket(path, EXEC_SUBPROTOCOLS), flags);
        if ('error' in outcome) throw new CliError(outcome.error);
        if (outcome.exitCode !== 0) {
          // kubectl's words, without its "error: " prefix, and the command's own exit code.
          io.errOut.write(`command terminated with exit code ${outcome.exitCode}\n`);
          process.exitCode = outcome.exitCode;
        }
      } finally {
        ctx.client.close();
      }
    });
}
