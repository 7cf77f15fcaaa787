// Running the host's network and process tools (ip, iptables, nsenter) for the simulated
// machines: their errors carry the tool's own message, which says what is wrong.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export class HostCommandError extends Error {}

export async function run(command: string, args: string[]): Promise<string> {
  try {
    return (await exec(command, args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new HostCommandError(`${command} is not installed (Debian: apt-get install iproute2 iptables util-linux)`);
    throw new HostCommandError(`${command} ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
  }
}

/** Runs it and ignores its failure: for removing what may already be gone. */
export async function attempt(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args);
    return true;
  } catch {
    return false;
  }
}

/** The path `ip netns add NAME` binds the namespace at: what nsenter --net= enters. */
export function netnsPath(namespace: string): string {
  return `/var/run/netns/${namespace}`;
}

/**
 * The command prefix that runs a program in a machine's network namespace. nsenter, not `ip netns
 * exec`: the latter mounts a new /sys, and dockerd then finds no cgroup hierarchy ("Devices cgroup
 * isn't mounted"). Without --fork nsenter execs the program, so its pid is the program's.
 */
export function inNamespace(namespace: string): string[] {
  return ['nsenter', `--net=${netnsPath(namespace)}`, '--'];
}
