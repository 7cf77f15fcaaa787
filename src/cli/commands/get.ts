// kctl get: the server prints the columns (a meta.k8s.io Table, as kubectl asks for), kctl lays
// them out; the other output formats print the objects themselves.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { ApiError } from '../../api/errors.js';
import { qualifiedSingular, type ResourceType } from '../../api/resources.js';
import type { KubeObject, Table, WatchEvent } from '../../api/types.js';
import { TABLE_ACCEPT, resourcePath } from '../../api/http-client.js';
import { connect, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { parseResourceArgs, type ResourceSelection } from '../resource-args.js';
import { parseOutputFormat, type OutputFormat } from '../printers/output-format.js';
import { TabWriter, joinTables, noResourcesFoundMessage, renderTable, type TableTextOptions } from '../printers/text-table.js';
import type { IOStreams } from '../io-streams.js';

interface GetOptions {
  output?: string;
  showManagedFields?: boolean;
  selector?: string;
  fieldSelector?: string;
  allNamespaces: boolean;
  watch: boolean;
  watchOnly: boolean;
  showLabels: boolean;
  headers: boolean;
  sortBy?: string;
  labelColumns: string[];
  ignoreNotFound: boolean;
  allowMissingTemplateKeys: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}

function namespaceFor(sel: ResourceSelection, ctx: CliContext, o: GetOptions): string | undefined {
  return sel.r.namespaced && !o.allNamespaces ? ctx.namespace : undefined;
}

function tableOptions(sel: ResourceSelection, o: GetOptions, wide: boolean, several: boolean): TableTextOptions {
  return {
    wide,
    noHeaders: !o.headers,
    showLabels: o.showLabels,
    withNamespace: o.allNamespaces && sel.r.namespaced,
    labelColumns: o.labelColumns,
    kind: several ? qualifiedSingular(sel.r) : undefined,
  };
}

/** Reports a missing named object as kubectl does, and lets the others print. */
function notFound(io: IOStreams, err: unknown, o: GetOptions, failures: { count: number }): void {
  if (err instanceof ApiError && err.reason === 'NotFound') {
    if (!o.ignoreNotFound) {
      io.errOut.write(`Error from server (NotFound): ${err.message}\n`);
      failures.count++;
    }
    return;
  }
  throw err;
}

async function fetchTable(io: IOStreams, ctx: CliContext, sel: ResourceSelection, o: GetOptions, failures: { count: number }): Promise<Table | undefined> {
  const ns = namespaceFor(sel, ctx, o);
  const includeObject = o.sortBy ? 'Object' : undefined;
  let table: Table | undefined;
  if (sel.names) {
    for (const name of sel.names) {
      try {
        const one = await ctx.client.listTable(sel.r, ns, { name, includeObject });
        if (!table) table = one;
        else table.rows.push(...one.rows);
      } catch (err) {
        notFound(io, err, o, failures);
      }
    }
  } else {
    table = await ctx.client.listTable(sel.r, ns, { labelSelector: o.selector, fieldSelector: o.fieldSelector, includeObject });
  }
  if (table && o.sortBy) table = (await import('../printers/sort-by.js')).sortTable(table, o.sortBy);
  return table;
}

async function fetchObjects(io: IOStreams, ctx: CliContext, sel: ResourceSelection, o: GetOptions, failures: { count: number }): Promise<KubeObject[]> {
  const ns = namespaceFor(sel, ctx, o);
  if (!sel.names) {
    const list = await ctx.client.list(sel.r, ns, { labelSelector: o.selector, fieldSelector: o.fieldSelector });
    return list.items.map((item) => withTypeMeta(sel.r, item));
  }
  const out: KubeObject[] = [];
  for (const name of sel.names) {
    try {
      out.push(withTypeMeta(sel.r, await ctx.client.get(sel.r, ns, name)));
    } catch (err) {
      notFound(io, err, o, failures);
    }
  }
  return out;
}

/** List items may come without apiVersion and kind; printed objects always carry them. */
function withTypeMeta(r: ResourceType, obj: KubeObject): KubeObject {
  return { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...obj };
}

function printOptions(o: GetOptions, single: boolean) {
  return {
    singleObject: single,
    noHeaders: !o.headers,
    allowMissingTemplateKeys: o.allowMissingTemplateKeys !== 'false',
    showManagedFields: o.showManagedFields,
    readFile: (path: string) => readFileSync(path, 'utf8'),
  };
}

/** Prints each change as a row; when the list printed nothing, the first row comes with headers, as in kubectl. */
async function watchChanges(
  io: IOStreams, ctx: CliContext,
  sel: ResourceSelection,
  o: GetOptions,
  format: OutputFormat,
  writer: TabWriter,
  rv: string | undefined,
  headersShown: boolean,
): Promise<void> {
  const ns = namespaceFor(sel, ctx, o);
  const query = new URLSearchParams({ watch: 'true' });
  if (rv) query.set('resourceVersion', rv);
  if (o.selector) query.set('labelSelector', o.selector);
  const fields = [o.fieldSelector, sel.names?.length === 1 ? `metadata.name=${sel.names[0]}` : undefined].filter(Boolean).join(',');
  if (fields) query.set('fieldSelector', fields);
  const path = `${resourcePath(sel.r, ns)}?${query}`;
  const { printObjects } = await import('../printers/index.js');
  const handle = ctx.client.watchPath(
    path,
    (e: WatchEvent<any>) => {
      if (e.type === 'ERROR') {
        io.errOut.write(`error: watch ended: ${e.object?.message ?? 'unknown error'}\n`);
        handle.stop();
        process.exitCode = 1;
        return;
      }
      if (e.type === 'BOOKMARK') return;
      if (format.type === 'table') {
        const opts = { ...tableOptions(sel, o, format.wide, false), noHeaders: headersShown || !o.headers };
        io.out.write(renderTable(e.object as Table, opts, writer));
        headersShown = true;
      } else {
        io.out.write(printObjects([withTypeMeta(sel.r, e.object)], format, printOptions(o, true)));
      }
    },
    format.type === 'table' ? TABLE_ACCEPT : 'application/json',
  );
  process.once('SIGINT', () => handle.stop());
  await handle.done;
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('get')
    .description('Display one or many resources')
    .argument('[resources...]', 'TYPE[,TYPE...] [NAME...] | TYPE/NAME...')
    .option('-o, --output <format>', 'json|yaml|name|wide|jsonpath=...|jsonpath-file=...|custom-columns=...|custom-columns-file=...')
    .option('-l, --selector <selector>', 'label selector (e.g. -l key1=value1,key2=value2, key in (a,b), !key)')
    .option('--field-selector <selector>', 'field selector (e.g. status.phase=Running, spec.nodeName=n1)')
    .option('-A, --all-namespaces', 'list across all namespaces', false)
    .option('-w, --watch', 'after listing, watch for changes', false)
    .option('--watch-only', 'watch for changes without listing first', false)
    .option('--show-labels', 'show all labels as the last column', false)
    .option('--no-headers', "don't print headers")
    .option('--sort-by <jsonpath>', 'sort by a field, e.g. .metadata.creationTimestamp')
    .option('-L, --label-columns <keys>', 'a column per label key; repeatable or comma-separated', collect, [])
    .option('--ignore-not-found', 'print nothing for objects that do not exist', false)
    .option('--allow-missing-template-keys <bool>', 'ignore missing keys in jsonpath templates', 'true')
    .option('--show-managed-fields', 'if true, keep the managedFields when printing objects in JSON or YAML format')
    .action(async (args: string[], o: GetOptions, cmd: Command) => {
      let format: OutputFormat;
      try {
        format = parseOutputFormat(o.output);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const noType = () => new CliError('You must specify the type of resource to get. Use "kctl api-resources" for a complete list of supported resources.');
      if (args.length === 0) throw noType();
      const ctx = await connect(cmd);
      const selections = await parseResourceArgs(ctx.client, args);
      if (selections.length === 0) throw noType();
      if ((o.watch || o.watchOnly) && selections.length > 1) throw new CliError('you may only specify a single resource type when watching');
      const failures = { count: 0 };
      const several = selections.length > 1;
      let printedAny = false;
      // Each kind's table aligns on its own; a watch keeps aligning with the last one printed.
      let writer = new TabWriter();
      let watchRv: string | undefined;
      if (!o.watchOnly) {
        if (format.type === 'table') {
          const outputs: string[] = [];
          for (const sel of selections) {
            const table = await fetchTable(io, ctx, sel, o, failures);
            if (table?.rows.length) printedAny = true;
            watchRv = table?.metadata?.resourceVersion;
            writer = new TabWriter();
            outputs.push(table ? renderTable(table, tableOptions(sel, o, format.wide, several), writer) : '');
          }
          io.out.write(joinTables(outputs, !o.headers));
        } else {
          let objects: KubeObject[] = [];
          for (const sel of selections) objects.push(...(await fetchObjects(io, ctx, sel, o, failures)));
          const { printObjects } = await import('../printers/index.js');
          if (o.sortBy) objects = (await import('../printers/sort-by.js')).sortObjects(objects, o.sortBy);
          printedAny = objects.length > 0;
          const single = selections.length === 1 && selections[0].names?.length === 1;
          const listsEvenEmpty = format.type === 'json' || format.type === 'yaml';
          if (objects.length || (listsEvenEmpty && !single)) {
            try {
              io.out.write(printObjects(objects, format, printOptions(o, single)));
            } catch (err) {
              throw new CliError((err as Error).message);
            }
          }
        }
        const askedByName = selections.every((s) => s.names);
        if (!printedAny && !askedByName && format.type !== 'json' && format.type !== 'yaml') {
          const ns = selections.some((s) => s.r.namespaced) && !o.allNamespaces ? ctx.namespace : undefined;
          io.errOut.write(`${noResourcesFoundMessage(ns)}\n`);
        }
      }
      if (o.watch || o.watchOnly) await watchChanges(io, ctx, selections[0], o, format, writer, watchRv, printedAny);
      ctx.client.close();
      if (failures.count) process.exitCode = 1;
    });
}
