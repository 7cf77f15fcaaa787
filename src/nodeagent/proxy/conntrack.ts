// Deleting UDP flows from the kernel's connection tracking table with Debian's `conntrack` tool.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StaleFlows } from './udp-flows.js';

const exec = promisify(execFile);

export class ConntrackError extends Error {}

export async function deleteUdpFlows(flows: StaleFlows[]): Promise<void> {
  for (const f of flows) {
    const args = ['-D', '-p', 'udp', '--orig-dst', f.ip, '--orig-port-dst', String(f.port), ...(f.endpointIP ? ['--dst-nat', f.endpointIP] : [])];
    try {
      await exec('conntrack', args);
    } catch (err) {
      const e = err as { code?: string | number; stderr?: string; message: string };
      if (e.code === 'ENOENT') throw new ConntrackError('conntrack is not installed (Debian: apt-get install conntrack): stale UDP flows stay until they time out');
      // Exit 1 with "0 flow entries have been deleted": there was nothing to delete.
      if (/0 flow entries have been deleted/.test(e.stderr ?? '')) continue;
      throw new ConntrackError(`conntrack ${args.join(' ')}: ${(e.stderr ?? e.message).trim()}`);
    }
  }
}
