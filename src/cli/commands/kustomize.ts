// kctl kustomize DIR: the objects a kustomization builds, as one YAML stream (see kustomize/build.ts).
import type { Command } from 'commander';
import { kustomizeBuild } from '../kustomize/build.js';
import { toYaml } from '../../api/printers/yaml-json.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  program
    .command('kustomize')
    .description('Build a kustomization target from a directory')
    .argument('[dir]', 'the directory with the kustomization', '.')
    .action((dir: string) => {
      const { objects, warnings } = kustomizeBuild(dir);
      for (const w of warnings) io.errOut.write(`${w}\n`);
      io.out.write(objects.map((o) => toYaml(o)).join('---\n'));
    });
}
