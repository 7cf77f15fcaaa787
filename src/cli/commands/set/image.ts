// kctl set image: new images for containers of pods or of pod templates (Deployments, ReplicaSets,
// ReplicationControllers, Jobs, CronJobs), as kubectl sends it: a strategic merge patch naming the
// changed containers; `*` means every container. Unchanged objects are left alone and not printed.
import type { Command } from 'commander';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/types.js';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { resolveTargets } from '../../object-targets.js';
import { podSpecPath } from '../../pod-template.js';
import { objectName } from '../../printers/name.js';
import type { IOStreams } from '../../io-streams.js';

/** `name=image` pairs from the arguments; the other arguments name the objects. */
export function splitImageArgs(args: string[]): { resources: string[]; images: Map<string, string> } {
  const images = new Map<string, string>();
  const resources: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq < 0) resources.push(a);
    else images.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return { resources, images };
}

/** The patch setting the images (undefined when nothing changes), and the containers not found. */
export function imagePatch(obj: KubeObject, images: Map<string, string>): { patch?: object; missing: string[] } {
  const path = podSpecPath(obj.kind);
  if (!path) throw new CliError(`${obj.kind} is not supported by set image`);
  const spec = path.reduce<any>((o, k) => o?.[k], obj) ?? {};
  const changed: Record<'containers' | 'initContainers', Container[]> = { containers: [], initContainers: [] };
  const missing: string[] = [];
  for (const [name, image] of images) {
    let found = false;
    for (const list of ['initContainers', 'containers'] as const) {
      for (const c of (spec[list] ?? []) as Container[]) {
        if (c.name !== name && name !== '*') continue;
        found = true;
        if (c.image !== image) changed[list].push({ name: c.name, image });
      }
    }
    if (!found) missing.push(name);
  }
  if (!changed.containers.length && !changed.initContainers.length) return { missing };
  const podSpec: Record<string, Container[]> = {};
  if (changed.containers.length) podSpec.containers = changed.containers;
  if (changed.initContainers.length) podSpec.initContainers = changed.initContainers;
  const patch = path.reduceRight<object>((inner, key) => ({ [key]: inner }), podSpec);
  return { patch, missing };
}

export function register(set: Command, io: IOStreams): void {
  set
    .command('image')
    .description('Update the image of a pod template')
    .argument('<args...>', 'TYPE NAME | TYPE/NAME ... CONTAINER=IMAGE ...')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .option('--all', 'every object of the types given, in the namespace', false)
    .action(async (args: string[], opts, cmd: Command) => {
      const { resources, images } = splitImageArgs(args);
      if (images.size === 0) throw new CliError('at least one image update is required');
      const ctx = await connect(cmd);
      const errors: string[] = [];
      try {
        const targets = await resolveTargets(ctx.client, ctx.namespace, resources, { verb: 'set image', selector: opts.selector, all: opts.all });
        for (const t of targets) {
          const { patch, missing } = imagePatch(t.obj, images);
          for (const name of missing) errors.push(`unable to find container named "${name}"`);
          if (!patch) continue;
          await ctx.client.patch(t.r, t.obj.metadata.namespace, t.obj.metadata.name!, 'strategic', patch, { fieldManager: 'kubectl-set' });
          io.out.write(`${objectName(t.obj)} image updated\n`);
        }
      } finally {
        ctx.client.close();
      }
      if (errors.length) throw new CliError(errors.join('\nerror: '));
    });
}
