// kctl port-forward TYPE/NAME [LOCAL:]REMOTE…: forwards local ports to a pod through the API
// server's pods/portforward (Kubernetes' WebSocket port-forward protocol, one WebSocket per local
// connection), until interrupted. Arguments, texts and exit codes follow kubectl's.
import type { Command } from 'commander';
import { resourcePath } from '../../api/http-client.js';
import { PORTFORWARD_SUBPROTOCOLS } from '../../api/portforward.js';
import { findByKind, resolveResource } from '../../api/resources.js';
import { attachablePod } from '../attachable-pod.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { checkUdpPorts, parseAddresses, parsePortSpecs, podPortsToNumbers, servicePortsToTargetPorts } from '../port-forward-ports.js';
import { PortForwarder } from '../port-forwarder.js';
import type { IOStreams } from '../io-streams.js';

const PODS = findByKind('Pod')!;

/** `NAME` is a pod; `TYPE/NAME` any resource type, checked when attaching. */
function objectArg(arg: string): { type: string; name: string } {
  const slash = arg.indexOf('/');
  return slash < 0 ? { type: 'pods', name: arg } : { type: arg.slice(0, slash), name: arg.slice(slash + 1) };
}

/** A failed step's message as kubectl's `error: …`. */
function cliError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message);
  }
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('port-forward')
    .description('Forward one or more local ports to a pod')
    .usage('TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]')
    .argument('[args...]')
    .option('--address <addresses>', 'addresses to listen on (comma separated); only IP addresses or localhost', 'localhost')
    .option('--pod-running-timeout <duration>', 'the length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '1m0s')
    .action(async (args: string[], opts, cmd: Command) => {
      if (args.length < 2) {
        throw new CliError("TYPE/NAME and list of ports are required for port-forward\nSee 'kctl port-forward -h' for help and examples");
      }
      const timeout = parseDurationFlag('pod-running-timeout', opts.podRunningTimeout);
      if (timeout <= 0) throw new CliError("--pod-running-timeout must be higher than zero\nSee 'kctl port-forward -h' for help and examples");
      const { type, name } = objectArg(args[0]);
      const r = resolveResource(type);
      if (!r) throw new CliError(`the server doesn't have a resource type "${type}"`);
      const specs = args.slice(1);
      const ctx = await connect(cmd);
      let forwarder: PortForwarder | undefined;
      try {
        const obj = await ctx.client.get(r, r.namespaced ? ctx.namespace : undefined, name);
        const pod = await attachablePod(ctx.client, obj, timeout);
        const converted = cliError(() => {
          checkUdpPorts(specs, obj.kind === 'Service' ? obj : pod);
          return obj.kind === 'Service' ? servicePortsToTargetPorts(specs, obj, pod) : podPortsToNumbers(specs, pod);
        });
        const current = await ctx.client.get(PODS, ctx.namespace, pod.metadata.name!);
        const phase = current.status?.phase;
        if (phase !== 'Running') throw new CliError(`unable to forward port because pod is not running. Current status=${phase ?? ''}`);
        const addresses = cliError(() => parseAddresses(String(opts.address).split(',')));
        const ports = cliError(() => parsePortSpecs(converted));
        const path = resourcePath(PODS, ctx.namespace, current.metadata.name, 'portforward');
        forwarder = new PortForwarder({
          addresses,
          ports,
          connect: (remote) => ctx.client.webSocket(`${path}?ports=${remote}`, PORTFORWARD_SUBPROTOCOLS, { paused: true }),
          out: (line) => io.out.write(`${line}\n`),
          errOut: (line) => io.errOut.write(`${line}\n`),
        });
        try {
          await forwarder.start();
        } catch (err) {
          throw new CliError((err as Error).message);
        }
        const stop = () => forwarder?.close();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await forwarder.done;
        } catch (err) {
          throw new CliError((err as Error).message);
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      } finally {
        forwarder?.close();
        ctx.client.close();
      }
    });
}
