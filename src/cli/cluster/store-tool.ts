// Runs the daemon binary in its one-shot store modes (--backup, --restore): the store's code stays
// in the API server, the CLI only asks for the job.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { CliError } from '../errors.js';

export function runStoreTool(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/kctl-apiserver'), ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new CliError(stderr.trim().replace(/^kctl-apiserver: /, '') || `exit code ${code}`))));
  });
}
