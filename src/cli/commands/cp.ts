// kctl cp [[NAMESPACE/]POD:]SRC [[NAMESPACE/]POD:]DEST [-c CONTAINER] [--no-preserve]: copies
// files and directories into or out of a container as kubectl does, through exec and tar: `tar cf
// - SRC` in the container read back here, or an archive made here fed to `tar -xmf - -C DIR`
// (tar's own messages, such as the leading '/' it removes, pass through on stderr).
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { connect, type CliContext } from '../context.js';
import { archivePrefix, localTarget, parseFileSpec, type FileSpec } from '../cp-paths.js';
import { CliError } from '../errors.js';
import { defaultContainer } from '../pod-target.js';
import { execInPod } from '../pod-exec.js';
import { createTar, readTar, type TarEntry } from '../../api/tar-archive.js';
import type { IOStreams } from '../io-streams.js';

const PODS = findByKind('Pod')!;

/** The local file or directory as archive entries named from `name` down (an empty directory as itself). */
export function localEntries(path: string, name: string): TarEntry[] {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return [{ type: 'symlink', path: name, target: readlinkSync(path) }];
  if (st.isDirectory()) {
    const children = readdirSync(path).sort();
    if (children.length === 0) return [{ type: 'directory', path: name, mode: st.mode & 0o7777 }];
    return children.flatMap((c) => localEntries(join(path, c), posix.join(name, c)));
  }
  return [{ type: 'file', path: name, content: readFileSync(path), mode: st.mode & 0o7777 }];
}

async function containerOf(io: IOStreams, ctx: CliContext, namespace: string, pod: string, container: string | undefined): Promise<string> {
  if (container) return container;
  const chosen = defaultContainer(await ctx.client.get(PODS, namespace, pod));
  for (const notice of chosen.notices) io.errOut.write(`${notice}\n`);
  return chosen.container;
}

async function copyFromPod(io: IOStreams, ctx: CliContext, src: FileSpec, dest: string, container: string): Promise<void> {
  const namespace = src.namespace ?? ctx.namespace;
  const { stdout, outcome } = await execInPod(ctx.client, namespace, src.pod!, container, ['tar', 'cf', '-', src.path], { stderr: (c) => io.errOut.write(c) });
  if ('error' in outcome) throw new CliError(outcome.error);
  const prefix = archivePrefix(src.path);
  for (const entry of readTar(stdout)) {
    const target = localTarget(entry.path, prefix, dest);
    if (!target) {
      io.errOut.write(`warning: file "${join(dest, entry.path.slice(prefix.length))}" is outside target destination, skipping\n`);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    if (entry.type === 'directory') mkdirSync(target, { recursive: true });
    else if (entry.type === 'symlink') io.errOut.write(`warning: skipping symlink: "${target}" -> "${entry.target}"\n`);
    else if (entry.type === 'file') writeFileSync(target, entry.content);
  }
}

async function copyToPod(io: IOStreams, ctx: CliContext, src: string, dest: FileSpec, container: string, noPreserve: boolean): Promise<void> {
  try {
    lstatSync(src);
  } catch {
    throw new CliError(`${src} doesn't exist in local filesystem`);
  }
  const namespace = dest.namespace ?? ctx.namespace;
  let destPath = dest.path;
  // Into an existing directory the source keeps its name, as cp does.
  const isDir = await execInPod(ctx.client, namespace, dest.pod!, container, ['test', '-d', destPath], { stderr: () => {} });
  if ('exitCode' in isDir.outcome && isDir.outcome.exitCode === 0) destPath = posix.join(destPath, basename(src));
  const archive = createTar(localEntries(src, posix.basename(destPath)));
  const command = noPreserve ? ['tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-'] : ['tar', '-xmf', '-'];
  const destDir = posix.dirname(destPath);
  if (destDir) command.push('-C', destDir);
  const { outcome } = await execInPod(ctx.client, namespace, dest.pod!, container, command, { stdin: archive, stderr: (c) => io.errOut.write(c) });
  if ('error' in outcome) throw new CliError(outcome.error);
  if (outcome.exitCode !== 0) throw new CliError(`command terminated with exit code ${outcome.exitCode}`);
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('cp')
    .description('Copy files and directories to and from containers')
    .argument('<src>', '[[NAMESPACE/]POD:]PATH')
    .argument('<dest>', '[[NAMESPACE/]POD:]PATH')
    .option('-c, --container <name>', 'container name; default: the pod\'s default container')
    .option('--no-preserve', 'do not keep ownership and permissions in the container')
    .action(async (srcArg: string, destArg: string, opts, cmd: Command) => {
      const src = parseFileSpec(srcArg);
      const dest = parseFileSpec(destArg);
      if (!src.pod && !dest.pod) throw new CliError('one of src or dest must be a remote file specification');
      if (src.pod && dest.pod) throw new CliError('one of src or dest must be a local file specification');
      if (!src.path || !dest.path) throw new CliError('filepath can not be empty');
      const ctx = await connect(cmd);
      try {
        const remote = (src.pod ? src : dest) as FileSpec;
        const container = await containerOf(io, ctx, remote.namespace ?? ctx.namespace, remote.pod!, opts.container);
        if (src.pod) await copyFromPod(io, ctx, src, dest.path, container);
        else await copyToPod(io, ctx, src.path, dest, container, opts.preserve === false);
      } finally {
        ctx.client.close();
      }
    });
}
