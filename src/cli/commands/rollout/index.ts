// kctl rollout: manage the rollout of a Deployment (status, history, undo, restart, pause, resume).
import type { Command } from 'commander';
import { register as registerHistory } from './history.js';
import { register as registerPause } from './pause.js';
import { register as registerRestart } from './restart.js';
import { register as registerResume } from './resume.js';
import { register as registerStatus } from './status.js';
import { register as registerUndo } from './undo.js';
import type { IOStreams } from '../../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const rollout = program.command('rollout').description('Manage the rollout of a resource');
  for (const sub of [registerHistory, registerPause, registerRestart, registerResume, registerStatus, registerUndo]) sub(rollout, io);
  rollout.commands.forEach((c) => c.exitOverride());
}
