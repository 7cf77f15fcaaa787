// kctl machine start-engine NAME: starts a stopped machine's Docker engine again; its node agent
// finds it answering, reports the node Ready and removes the containers of pods that went meanwhile.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { writeState } from '../../cluster/local-cluster.js';
import { enginePid, startEngine, waitForEngine } from '../../cluster/machines/machine-engine.js';
import { targetMachine } from './target.js';
import type { IOStreams } from '../../io-streams.js';

export function register(machine: Command, io: IOStreams): void {
  machine
    .command('start-engine')
    .argument('<name>', 'the machine (its node\'s name)')
    .option('--timeout <seconds>', 'how long to wait for the engine to answer', '30')
    .description("Start a simulated machine's stopped Docker engine again")
    .action(async (name: string, opts: { timeout: string }) => {
      const { p, state, machine: m } = targetMachine(name);
      if (enginePid(m.engine)) {
        io.out.write(`The Docker engine of ${name} is already running.\n`);
        return;
      }
      const started = Date.now();
      const pid = startEngine(m.namespace, m.engine);
      m.enginePid = pid;
      writeState(p, state);
      await waitForEngine(pid, m.engine, Number(opts.timeout) * 1000).catch((err: Error) => {
        throw new CliError(`the Docker engine of ${name} did not start: ${err.message}`);
      });
      io.out.write(`Docker engine of ${name} (${m.address}) running (in ${Date.now() - started} ms).\n`);
    });
}
