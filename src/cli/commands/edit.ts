// kctl edit TYPE NAME | TYPE/NAME | -f FILE [-o yaml|json]: opens the objects in $KUBE_EDITOR,
// $EDITOR or vi, under kubectl's commented header, and sends what changed as a strategic merge
// patch. A save the server (or the YAML parser) refuses re-opens the editor with the reasons in
// the header; saving it unchanged gives up, keeping a copy of the text in a temporary file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createTwoWayMergePatch } from '../../api/patch/three-way-merge.js';
import { clientPatchFor } from '../../api/patch/client-patch.js';
import { apiVersionOf, qualifiedPlural, qualifiedSingular, type ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { NO_RESOURCES_GIVEN } from '../continue-on-error.js';
import { editHeader, editorArgv, reasonFor, saveErrorLine, stripComments, type EditReason } from '../edit-buffer.js';
import { CliError } from '../errors.js';
import { readManifests } from '../manifest/read-manifests.js';
import { addFilenameOptions } from '../manifest/report.js';
import { targetOf } from '../manifest/target.js';
import { resolveTargets, type Target } from '../object-targets.js';
import { listOf } from '../printers/index.js';
import { toJson, toYaml } from '../../api/printers/yaml-json.js';
import type { IOStreams } from '../io-streams.js';

function forEditing(obj: KubeObject, r: ResourceType): KubeObject {
  const copy = structuredClone(obj);
  copy.apiVersion ??= apiVersionOf(r);
  copy.kind ??= r.kind;
  delete copy.metadata.managedFields;
  return copy;
}

async function targetsOf(io: IOStreams, ctx: CliContext, args: string[], files: string[], recursive: boolean): Promise<Target[]> {
  if (!args.length && !files.length) throw new CliError(NO_RESOURCES_GIVEN);
  const targets: Target[] = [];
  for (const m of files.length ? await readManifests(io, files, recursive) : []) {
    if (m.error) throw new CliError(m.error);
    const target = await targetOf(m.obj!, ctx);
    if ('error' in target) throw new CliError(target.error);
    targets.push({ r: target.r, obj: await ctx.client.get(target.r, target.namespace, m.obj!.metadata.name!) });
  }
  if (args.length) targets.push(...(await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'edit' })));
  return targets;
}

async function parseEdited(text: string, json: boolean): Promise<KubeObject[]> {
  let value: any;
  if (json) value = JSON.parse(text);
  else {
    const { parse } = await import('yaml');
    value = parse(text);
  }
  if (!value || typeof value !== 'object') throw new Error('the edited file is not an object');
  return value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
}

export function register(program: Command, io: IOStreams): void {
  addFilenameOptions(program.command('edit').description('Edit a resource on the server with your editor'), 'identifying the resources to edit')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('-o, --output <format>', 'the format to edit in: yaml or json', 'yaml')
    .action(async (args: string[], opts, cmd: Command) => {
      if (opts.output !== 'yaml' && opts.output !== 'json') throw new CliError(`the edit mode doesn't support output format "${opts.output}", use yaml or json`);
      const json = opts.output === 'json';
      const ctx = await connect(cmd);
      const dir = mkdtempSync(join(tmpdir(), 'kctl-edit-'));
      const file = join(dir, `edit.${json ? 'json' : 'yaml'}`);
      let keep = false;
      try {
        const targets = await targetsOf(io, ctx, args, opts.filename, opts.recursive);
        const originals = targets.map((t) => forEditing(t.obj, t.r));
        const body = (objs: KubeObject[]) => (json ? toJson : toYaml)(objs.length === 1 ? objs[0] : listOf(objs));
        const original = body(originals);
        let pending = targets.map((t, i) => ({ ...t, original: originals[i] }));
        let text = original;
        let reasons: EditReason[] = [];
        let lastEdited: string | undefined;
        for (;;) {
          writeFileSync(file, editHeader(reasons) + text);
          const [editor, ...editorArgs] = editorArgv(process.env, file);
          const run = spawnSync(editor, editorArgs, { stdio: 'inherit' });
          if (run.error || run.status !== 0) throw new CliError(`there was a problem with the editor "${editor}"`);
          const edited = stripComments(readFileSync(file, 'utf8'));
          if (lastEdited !== undefined && edited === lastEdited) {
            keep = true;
            io.errOut.write(`A copy of your changes has been stored to "${file}"\n`);
            throw new CliError('Edit cancelled, no valid changes were saved.');
          }
          lastEdited = edited;
          if (edited === stripComments(original)) {
            io.errOut.write('Edit cancelled, no changes made.\n');
            return;
          }
          if (edited.trim() === '') {
            io.errOut.write('Edit cancelled, saved file was empty.\n');
            return;
          }
          text = edited;
          reasons = [];
          let objects: KubeObject[];
          try {
            objects = await parseEdited(edited, json);
          } catch (err) {
            reasons.push({ head: `The edited file had a syntax error: ${(err as Error).message.split('\n')[0]}`, other: [] });
            continue;
          }
          const failed: typeof pending = [];
          for (const t of pending) {
            const name = t.original.metadata.name;
            const mine = objects.find((o) => o?.metadata?.name === name && o.kind === t.original.kind);
            const label = `${qualifiedPlural(t.r)} "${name}"`;
            if (!mine || mine.apiVersion !== t.original.apiVersion) {
              reasons.push({ head: `${label}: At least one of apiVersion, kind and name was changed`, other: [] });
              failed.push(t);
              continue;
            }
            const how = clientPatchFor(t.r);
            const patch = createTwoWayMergePatch(t.original, mine, how.kind);
            if (Object.keys(patch).length === 0) continue;
            try {
              await ctx.client.patch(t.r, t.original.metadata.namespace, name!, how.type, patch, { fieldManager: 'kubectl-edit' });
              io.out.write(`${qualifiedSingular(t.r)}/${name} edited\n`);
            } catch (err) {
              io.errOut.write(`${saveErrorLine(label, err)}\n`);
              reasons.push(reasonFor(label, err));
              failed.push(t);
            }
          }
          if (failed.length === 0) return;
          pending = failed;
        }
      } finally {
        ctx.client.close();
        if (!keep) rmSync(dir, { recursive: true, force: true });
      }
    });
}
