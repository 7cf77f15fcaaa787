// kctl machine stop-engine NAME: stops one machine's Docker engine as `systemctl stop docker`
// would (its containers stop with it), to see what the cluster does when an engine fails.
import type { Command } from 'commander';
import { writeState } from '../../cluster/local-cluster.js';
import { enginePid, stopEngine } from '../../cluster/machines/machine-engine.js';
import { targetMachine } from './target.js';
import type { IOStreams } from '../../io-streams.js';

export function register(machine: Command, io: IOStreams): void {
  machine
    .command('stop-engine')
    .argument('<name>', 'the machine (its node\'s name)')
    .description("Stop a simulated machine's Docker engine; its node goes NotReady and its pods are replaced elsewhere")
    .action(async (name: string) => {
      const { p, state, machine: m } = targetMachine(name);
      const pid = enginePid(m.engine);
      if (!pid) {
        io.out.write(`The Docker engine of ${name} is already stopped.\n`);
        return;
      }
      await stopEngine(m.engine, pid);
      delete m.enginePid;
      writeState(p, state);
      io.out.write(`Docker engine of ${name} (${m.address}) stopped.\n`);
    });
}
