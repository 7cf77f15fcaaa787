// Starting, watching and stopping the processes of a local cluster (the API server, node agents,
// engines, the registry): detached in sessions of their own, so they outlive the CLI.
import { spawn } from 'node:child_process';
import https from 'node:https';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A process that has exited but not yet been reaped by its new parent (init) still answers
  // signal 0; it is dead all the same.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The command line that runs one of bin/'s programs. */
export function programCommand(program: string, args: string[]): string[] {
  return [process.execPath, join(REPO_ROOT, 'bin', program), ...args];
}

/** Starts a command in the background, in a session of its own, its output appended to logFile. */
export function spawnDetached(command: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  mkdirSync(join(logFile, '..'), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(command[0], command.slice(1), {
    detached: true,
    stdio: ['ignore', fd, fd],
    env,
  });
  closeSync(fd);
  child.unref();
  return child.pid!;
}

/** Starts one of bin/'s programs in the background, its output appended to logFile. */
export function startDetached(program: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  return spawnDetached(programCommand(program, args), logFile, env);
}

/** SIGTERM, then SIGKILL if the process has not gone within the grace period. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The last lines of a log, to show why a process did not come up. */
export function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Whether the API server answers its readiness probe (over TLS, trusting the cluster's certificate). */
export function apiAnswers(server: string, caPem: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(`${server}/readyz`, { ca: caPem, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
