// kctl images: the images pods can run on this machine's Docker engine, and `prepare`, which builds
// the ones kctl needs (pod sandbox, busybox) when they are missing, with no registry.
import type { Command } from 'commander';
import { humanDuration } from '../../api/printers/duration.js';
import { DockerClient, DockerError, DockerUnavailableError, BusyboxMissingError, OFFLINE_IMAGES, prepareOfflineImages, type PreparedImage } from '../../nodeagent/machine-runtime.js';
import { CliError } from '../errors.js';
import { TabWriter } from '../printers/text-table.js';
import { clusterRegistry, pushToRegistry, type ClusterRegistry } from '../images/registry-push.js';
import { EXAMPLE_IMAGES, prepareExampleImages } from '../images/example-images.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const images = program.command('images').description("List the images of this machine's Docker engine, or prepare the ones kctl needs");

  images
    .command('prepare')
    .description(`Build the images kctl needs (${OFFLINE_IMAGES.join(', ')}) when they are missing, without a registry`)
    .option('--force', 'rebuild them even when they are present', false)
    .option('--examples', "also build the Django example's images (PostgreSQL, Redis, Django) from Debian's packages, and push them to the cluster's registry when it runs", false)
    .option('-v, --verbose', "show debootstrap's and the builds' output", false)
    .action(async (opts: { force: boolean; examples: boolean; verbose: boolean }) => {
      const started = performance.now();
      // Asked before the long build: a push to a registry that is not there would fail after it.
      const registry = opts.examples ? optionalRegistry() : undefined;
      await withDocker(async (docker) => {
        const show = (prepared: PreparedImage[]) => {
          for (const p of prepared) io.out.write(p.built ? `${p.image} built in ${seconds(p.ms)}\n` : `${p.image} present\n`);
        };
        show(await prepareOfflineImages(docker, { force: opts.force }));
        if (!opts.examples) return;
        const log = opts.verbose ? (line: string) => io.errOut.write(`${line}\n`) : () => {};
        show(
          await prepareExampleImages(docker, { force: opts.force, log }).catch((err: Error) => {
            throw err instanceof DockerError ? err : new CliError(`cannot build the example images: ${err.message}`);
          }),
        );
        if (!registry) {
          io.out.write('no registry runs (kctl cluster up --registry): the example images are on this engine only\n');
          return;
        }
        for (const { image } of EXAMPLE_IMAGES) {
          const pushStarted = performance.now();
          const pushed = await pushToRegistry(docker, image, registry);
          // Only the registry's copy keeps that name: the nodes pull it, this engine's too.
          await docker.removeImage(pushed, { noPrune: true });
          io.out.write(`${pushed} pushed in ${seconds(performance.now() - pushStarted)}\n`);
        }
      });
      io.out.write(`images ready in ${seconds(performance.now() - started)}\n`);
    });

  images
    .command('push <image>')
    .description("Push a local image to the cluster's registry (kctl cluster up --registry), as <registry>/<name>:<tag>")
    .action(async (image: string) => {
      if (image.includes('@')) throw new CliError(`"${image}" is a digest: push a tagged image (name:tag)`);
      const registry = clusterRegistry();
      const started = performance.now();
      const pushed = await withDocker(async (docker) => {
        await docker.inspectImage(image).catch((err: unknown) => {
          throw err instanceof DockerError && err.statusCode === 404 ? new CliError(`no image "${image}" on this machine's Docker engine (see: kctl images list)`) : err;
        });
        return pushToRegistry(docker, image, registry);
      });
      io.out.write(`${pushed} pushed in ${seconds(performance.now() - started)}\n`);
    });

  images
    .command('list')
    .description('List the tagged images pods can run, and the ones kctl needs that are missing')
    .action(async () => {
      const summaries = await withDocker((docker) => docker.listImages());
      const now = Date.now();
      const rows = summaries
        .flatMap((s) => (s.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>').map((tag) => ({ tag, s })))
        .sort((a, b) => a.tag.localeCompare(b.tag))
        .map(({ tag, s }) => [tag, shortId(s.Id), humanDuration(now - s.Created * 1000), humanSize(s.Size)]);
      io.out.write(new TabWriter().format([['IMAGE', 'IMAGE ID', 'AGE', 'SIZE'], ...rows]));
      const present = new Set(rows.map(([tag]) => tag));
      const missing = OFFLINE_IMAGES.filter((image) => !present.has(image));
      if (missing.length > 0) io.errOut.write(`missing: ${missing.join(', ')} (build with: kctl images prepare)\n`);
    });

  images.commands.forEach((c) => c.exitOverride());
}

/** The cluster's registry when one runs; none is not an error for `prepare`. */
function optionalRegistry(): ClusterRegistry | undefined {
  try {
    return clusterRegistry();
  } catch (err) {
    if (err instanceof CliError) return undefined;
    throw err;
  }
}

async function withDocker<T>(use: (docker: DockerClient) => Promise<T>): Promise<T> {
  let docker: DockerClient;
  try {
    docker = new DockerClient();
  } catch (err) {
    throw new CliError((err as Error).message); // a DOCKER_HOST kctl cannot use
  }
  try {
    return await use(docker);
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (err instanceof DockerUnavailableError || err instanceof BusyboxMissingError) throw new CliError(err.message);
    if (err instanceof DockerError) throw new CliError(`the Docker engine refused ${err.method} ${err.path}: ${err.message}`);
    throw err;
  } finally {
    await docker.close();
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Sizes as Docker prints them: decimal units, three significant digits (`1.98MB`). */
function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
}
