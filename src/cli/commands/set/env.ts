// kctl set env TYPE NAME KEY=VALUE... KEY-... [-e KEY=VALUE] [--from=secret/NAME|configmap/NAME]
// [-c CONTAINER] [--overwrite] [--list]: environment variables of pod templates, as kubectl sets them.
import { Option, type Command } from 'commander';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { podSpecOf } from '../../pod-template.js';
import { objectName } from '../../printers/name.js';
import { stringArray } from '../../repeatable-flags.js';
import { envFromData, listContainerEnv, overwriteConflict, parseEnv, splitEnvArgs, updateEnv, type EnvVar } from '../../set-env-vars.js';
import { registerPodSpecCommand, selectContainers } from './pod-spec-command.js';
import type { IOStreams } from '../../io-streams.js';

/** --from: the keys of the Secret or ConfigMap, read before any object is changed. */
async function fromSource(cmd: Command, from: string, keys: string[], prefix: string): Promise<EnvVar[]> {
  const slash = from.indexOf('/');
  const type = from.slice(0, slash).toLowerCase();
  const kind = ['secret', 'secrets'].includes(type) ? 'Secret' : ['configmap', 'configmaps', 'cm'].includes(type) ? 'ConfigMap' : undefined;
  if (slash < 0 || !kind) throw new CliError(`unsupported resource specified in --from`);
  const ctx = await connect(cmd);
  try {
    const obj: KubeObject = await ctx.client.get(findByKind(kind)!, ctx.namespace, from.slice(slash + 1));
    const all = [...Object.keys(obj.data ?? {}), ...Object.keys(obj.binaryData ?? {})];
    return envFromData(kind, obj.metadata.name!, keys.length ? all.filter((k) => keys.includes(k)) : all, prefix);
  } finally {
    ctx.client.close();
  }
}

export function register(set: Command, io: IOStreams): void {
  let fromEnv: EnvVar[] = [];
  registerPodSpecCommand(set, io, {
    name: 'env',
    description: 'Update environment variables on a pod template',
    done: 'env updated',
    options: (cmd) =>
      cmd
        .option('-e, --env <key=value>', 'a variable to set (KEY=VALUE) or remove (KEY-); repeatable', stringArray, [])
        .option('-c, --containers <glob>', 'the names of the containers to change (a glob)', '*')
        .option('--from <resource>', 'secret/NAME or configmap/NAME: one variable per key, referring to it')
        .option('--keys <keys>', 'with --from, only these keys (comma-separated)', (v: string, p: string[]) => [...p, ...v.split(',')], [])
        .option('--prefix <prefix>', 'with --from, a prefix for the variable names', '')
        .addOption(
          new Option('--overwrite [bool]', 'replace variables that already have another value; --overwrite=false refuses to').default(true).argParser((v: string) => v !== 'false'),
        )
        .option('--list', 'print the variables instead of changing them', false)
        .hook('preAction', async (command) => {
          const o = command.opts();
          if (o.from) fromEnv = await fromSource(command, o.from, o.keys, o.prefix);
        }),
    change: (args, opts) => {
      const { resources, envArgs } = splitEnvArgs(args);
      const { env, remove } = parseEnv([...envArgs, ...opts.env]);
      const all = [...fromEnv, ...env];
      if (!opts.list && all.length === 0 && remove.length === 0) throw new CliError('at least one environment variable must be provided');
      return {
        resources,
        change: (spec, obj) => {
          const containers = [...selectContainers(spec.containers, opts.containers), ...selectContainers(spec.initContainers, opts.containers)];
          if (containers.length === 0) {
            io.errOut.write(`Warning: ${obj.kind}/${obj.metadata.name} does not have any containers matching "${opts.containers}"\n`);
            return;
          }
          for (const c of containers) {
            if (!opts.overwrite) {
              const conflict = overwriteConflict(c.env ?? [], all);
              if (conflict) throw new CliError(`${objectName(obj)}\n ${conflict}`);
            }
            const env = updateEnv(c.env ?? [], all, remove);
            if (env.length) c.env = env;
            else delete c.env;
          }
        },
      };
    },
    list: (targets, opts) => {
      if (!opts.list) return false;
      for (const t of targets) {
        const spec = podSpecOf(structuredClone(t.obj));
        if (!spec) continue;
        for (const c of [...selectContainers(spec.containers, opts.containers), ...selectContainers(spec.initContainers, opts.containers)]) {
          io.out.write(listContainerEnv(t.obj.kind!, t.obj.metadata.name!, c as { name: string; env?: EnvVar[] }));
        }
      }
      return true;
    },
  });
}
