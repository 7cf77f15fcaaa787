// kctl rollout resume: lets a paused Deployment roll out again.
import type { Command } from 'commander';
import { registerPatchCommand } from './object-patcher.js';
import type { IOStreams } from '../../io-streams.js';

export function register(rollout: Command, io: IOStreams): void {
  registerPatchCommand(rollout, io, 'resume', 'Resume a paused resource', 'resumed', (obj) => {
    if (obj.kind !== 'Deployment') return { error: 'resuming is not supported' };
    if (!obj.spec?.paused) return { error: 'is not paused' };
    return { patch: { spec: { paused: null } } };
  });
}
