// A simulated machine's node agent starts the way a second computer's does: the `kctl join` line
// run on the machine (in its network namespace), with the machine's engine (--docker-host), its own
// KCTL_HOME and data dir, and the agent flags the machine needs (--agent-arg). So what `cluster up
// --machines` starts, and CI tests, is the path a user runs on another computer.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { programCommand, tail } from '../processes.js';
import { readJoined, type JoinedNode } from '../../join/node-service.js';
import { inNamespace } from './host-command.js';
import type { MachineRecord } from './machines.js';

/** What `kctl init` prints for workers to run, less the program name. */
export interface JoinLine {
  /** HOST:PORT of the API server. */
  endpoint: string;
  token: string;
  caHash: string;
}

export function joinArgs(line: JoinLine): string[] {
  return ['join', line.endpoint, '--token', line.token, '--discovery-token-ca-cert-hash', line.caHash];
}

export function formatJoinLine(line: JoinLine): string {
  return `kctl ${joinArgs(line).join(' ')}`;
}

/** The machine's KCTL_HOME: `kctl join` records its agent there (removed with the machine's directory). */
export function machineHome(home: string, name: string): string {
  return join(home, 'machines', name, 'kctl');
}

/** The agent's data dir on the machine: certificate, CA, token, pod volumes, and its log. */
export function machineDataDir(home: string, name: string): string {
  return join(machineHome(home, name), 'nodes', name);
}

/** Where the detached agent `kctl join` starts writes (join/node-service.ts). */
export function machineAgentLog(home: string, name: string): string {
  return join(machineDataDir(home, name), 'kctl-node.log');
}

export function joinLog(home: string, name: string): string {
  return join(home, 'logs', `${name}-join.log`);
}

/**
 * Runs the join line in the machine and resolves, once the command has returned (its Node is
 * Ready), with the agent it left running. A failed join rejects with the end of its output.
 */
export async function joinMachine(home: string, m: MachineRecord, line: JoinLine, agentArgs: string[], timeoutMs: number): Promise<JoinedNode> {
  const machineKctl = machineHome(home, m.name);
  const log = joinLog(home, m.name);
  mkdirSync(join(log, '..'), { recursive: true });
  const args = [
    ...joinArgs(line),
    '--node-name', m.name,
    '--data-dir', machineDataDir(home, m.name),
    '--docker-host', `unix://${m.engine.socket}`,
    '--timeout', String(Math.max(1, Math.ceil(timeoutMs / 1000))),
    ...agentArgs.map((a) => `--agent-arg=${a}`),
  ];
  const command = [...inNamespace(m.namespace), ...programCommand('kctl', args)];
  const env: NodeJS.ProcessEnv = { ...process.env, KCTL_HOME: machineKctl };
  // The machine's kctl knows only the join line: no kubeconfig of this computer's.
  delete env.KUBECONFIG;
  const fd = openSync(log, 'a');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', fd, fd], env });
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  }).finally(() => closeSync(fd));
  const joined = readJoined(machineKctl).find((n) => n.name === m.name);
  if (code !== 0 || !joined) throw new Error(`"kctl join" on ${m.name} failed (exit ${code}). Its output (${log}) ends with:\n${tail(log)}`);
  return joined;
}
