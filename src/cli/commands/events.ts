// kctl events [--for=KIND/NAME] [--types=Normal,Warning] [-A] [-w] [-o json|yaml|...]: kubectl
// events' table, oldest first; with -w, new and changed events are added as they happen.
import type { Command } from 'commander';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { HttpClient } from '../../api/http-client.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { resolveType } from '../discovery.js';
import { CliError } from '../errors.js';
import { eventRow, eventsHeader, parseEventTypes, sortEvents } from '../printers/events-table.js';
import { TabWriter } from '../printers/tabwriter.js';
import { stringSlice } from '../repeatable-flags.js';
import type { IOStreams } from '../io-streams.js';

const EVENTS = findByKind('Event')!;

/** --for=KIND/NAME as a field selector on the involved object. */
export async function forSelector(client: HttpClient, spec: string): Promise<string> {
  const slash = spec.indexOf('/');
  if (slash <= 0 || slash === spec.length - 1) throw new CliError('--for must be in resource/name form');
  const r = await resolveType(client, spec.slice(0, slash));
  if (!r) throw new CliError(`the server doesn't have a resource type "${spec.slice(0, slash)}"`, 1, true);
  return `involvedObject.kind=${r.kind},involvedObject.name=${spec.slice(slash + 1)}`;
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('events')
    .description('List events')
    .option('-A, --all-namespaces', 'list the events of all namespaces', false)
    .option('--for <kind/name>', 'only the events about this object')
    .option('--types <types>', 'only events of these types (Normal, Warning); repeatable or comma-separated', stringSlice, [])
    .option('-w, --watch', 'after listing, watch for new events', false)
    .option('--no-headers', 'print no header line')
    .option('-o, --output <format>', 'json, yaml, name, jsonpath=..., custom-columns=...')
    .action(async (opts, cmd: Command) => {
      let types: string[];
      try {
        types = parseEventTypes(opts.types);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const { printObjects, parseOutputFormat } = await import('../printers/index.js');
      const format = opts.output ? parseOutputFormat(opts.output) : undefined;
      const ctx = await connect(cmd);
      const fieldSelector = opts.for ? await forSelector(ctx.client, opts.for) : undefined;
      const namespace = opts.allNamespaces ? undefined : ctx.namespace;
      const wanted = (e: Event) => types.length === 0 || types.includes(e.type ?? '');
      const list = await ctx.client.list(EVENTS, namespace, { fieldSelector });
      const events = sortEvents((list.items as unknown as Event[]).filter(wanted));
      if (format && format.type !== 'table') {
        io.out.write(printObjects(events as unknown as KubeObject[], format as any));
        ctx.client.close();
        if (!opts.watch) return;
      }
      const writer = new TabWriter();
      const header = opts.headers === false ? [] : [eventsHeader(opts.allNamespaces)];
      if (events.length === 0 && !opts.watch) {
        io.errOut.write(opts.allNamespaces ? 'No events found.\n' : `No events found in ${ctx.namespace} namespace.\n`);
        ctx.client.close();
        return;
      }
      const now = new Date();
      const lines = [...header, ...events.map((e) => eventRow(e, opts.allNamespaces, now))];
      if (!format) io.out.write(writer.format(lines));
      if (!opts.watch) {
        ctx.client.close();
        return;
      }
      const handle = ctx.client.watch(EVENTS, namespace, { fieldSelector, resourceVersion: list.metadata?.resourceVersion }, (w) => {
        if (w.type !== 'ADDED' && w.type !== 'MODIFIED') return;
        const e = w.object as unknown as Event;
        if (!wanted(e)) return;
        if (format && format.type !== 'table') io.out.write(printObjects([w.object as KubeObject], format as any, { singleObject: true }));
        else io.out.write(writer.format([eventRow(e, opts.allNamespaces, new Date())]));
      });
      const stop = () => handle.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await handle.done;
      ctx.client.close();
    });
}
