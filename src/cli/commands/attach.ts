// kctl attach POD | TYPE/NAME [-c CONTAINER] [-i] [-t]: joins the container's own streams (its main
// process) through the API server's pods/attach, over the WebSocket remotecommand protocol, as
// kubectl attach does; with a workload, one of its pods as kubectl picks it.
import type { Command } from 'commander';
import { resourcePath } from '../../api/http-client.js';
import { EXEC_SUBPROTOCOLS } from '../../api/remotecommand.js';
import { findByKind, resolveResource } from '../../api/resources.js';
import { attachablePod } from '../attachable-pod.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { defaultContainer } from '../pod-target.js';
import { runSession } from './exec.js';
import type { IOStreams } from '../io-streams.js';

const PODS = findByKind('Pod')!;

/** The pods/attach query: which container, which of its streams. */
export function attachQuery(container: string, stdin: boolean, tty: boolean): URLSearchParams {
  const q = new URLSearchParams({ container });
  if (stdin) q.set('stdin', 'true');
  q.set('stdout', 'true');
  if (!tty) q.set('stderr', 'true');
  if (tty) q.set('tty', 'true');
  return q;
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('attach')
    .description('Attach to a running container')
    .argument('<pod>', 'POD or TYPE/NAME')
    .option('-c, --container <name>', "container name; default: the pod's default container")
    .option('-i, --stdin', 'pass stdin to the container', false)
    .option('-t, --tty', 'stdin is a TTY', false)
    .option('-q, --quiet', 'only print output from the remote session', false)
    .option('--pod-running-timeout <duration>', 'how long to wait until at least one pod is running', '1m0s')
    .action(async (arg: string, opts, cmd: Command) => {
      const timeout = parseDurationFlag('pod-running-timeout', opts.podRunningTimeout);
      const slash = arg.indexOf('/');
      const r = slash < 0 ? PODS : resolveResource(arg.slice(0, slash));
      if (!r) throw new CliError(`the server doesn't have a resource type "${arg.slice(0, slash)}"`, 1, true);
      const ctx = await connect(cmd);
      try {
        const obj = await ctx.client.get(r, r.namespaced ? ctx.namespace : undefined, slash < 0 ? arg : arg.slice(slash + 1));
        const pod = await attachablePod(ctx.client, { kind: r.kind, ...obj }, timeout);
        const phase = pod.status?.phase;
        if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`cannot attach a container in a completed pod; current phase is ${phase}`);
        let container = opts.container as string | undefined;
        if (!container) {
          const chosen = defaultContainer(pod);
          if (!opts.quiet) for (const notice of chosen.notices) io.errOut.write(`${notice}\n`);
          container = chosen.container;
        }
        const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: any) => c.name === container);
        if (!spec) throw new CliError(`container ${container} not found in pod ${pod.metadata.name}`);
        let tty = opts.tty && opts.stdin;
        if (tty && !spec.tty) {
          tty = false;
          if (!opts.quiet) io.errOut.write(`error: Unable to use a TTY - container ${container} did not allocate one\n`);
        } else if (tty && !io.in.isTTY) {
          tty = false;
          if (!opts.quiet) io.errOut.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
        }
        if (tty && !opts.quiet) io.errOut.write("If you don't see a command prompt, try pressing enter.\n");
        const path = `${resourcePath(PODS, pod.metadata.namespace ?? ctx.namespace, pod.metadata.name, 'attach')}?${attachQuery(container, opts.stdin, tty)}`;
        const outcome = await runSession(io, await ctx.client.webSocket(path, EXEC_SUBPROTOCOLS), { container, command: [], stdin: opts.stdin, tty });
        if ('error' in outcome) throw new CliError(outcome.error);
      } finally {
        ctx.client.close();
      }
    });
}
