// kctl rollout pause: marks a Deployment paused (spec.paused), so template changes wait.
import type { Command } from 'commander';
import { registerPatchCommand } from './object-patcher.js';
import type { IOStreams } from '../../io-streams.js';

export function register(rollout: Command, io: IOStreams): void {
  registerPatchCommand(rollout, io, 'pause', 'Mark the provided resource as paused', 'paused', (obj) => {
    if (obj.kind !== 'Deployment') return { error: 'pausing is not supported' };
    if (obj.spec?.paused) return { error: 'is already paused' };
    return { patch: { spec: { paused: true } } };
  });
}
