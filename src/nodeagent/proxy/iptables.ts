// The proxy's hands on the host's packet filter: iptables-restore for whole rule sets, the jumps
// from the built-in chains into ours, and the removal of everything ours (`kctl cluster down`).
// Everything of ours is named KCTL-*, so other programs' rules (Docker's) are never touched.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { CHAIN_PREFIX, JUMPS, restoreInput, type RuleSet } from './service-rules.js';

const exec = promisify(execFile);
type Table = 'nat' | 'filter';
const TABLES: Table[] = ['nat', 'filter'];

export class IptablesError extends Error {}

async function iptables(args: string[]): Promise<void> {
  try {
    await exec('iptables', ['-w', '5', ...args]);
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    if (e.code === 'ENOENT') throw new IptablesError('iptables is not installed (Debian: apt-get install iptables)');
    throw new IptablesError(`iptables ${args.join(' ')}: ${(e.stderr ?? e.message).trim()}`);
  }
}

async function succeeds(args: string[]): Promise<boolean> {
  try {
    await iptables(args);
    return true;
  } catch {
    return false;
  }
}

/** A rule of iptables-save that jumps into one of our chains: its chain and our chain. */
const JUMP_LINE = new RegExp(`^-A (\\S+) .*-j (${CHAIN_PREFIX}\\S+)$`);

interface TableState {
  /** Our chains. */
  chains: string[];
  /** The built-in chains' jumps into ours, as `FROM KCTL-X`. */
  jumps: Set<string>;
}

/** What of ours a table holds now, from one iptables-save. */
async function tableState(table: Table): Promise<TableState> {
  const { stdout } = await exec('iptables-save', ['-t', table]);
  const lines = stdout.split('\n');
  const chains = lines.filter((line) => line.startsWith(`:${CHAIN_PREFIX}`)).map((line) => line.slice(1).split(' ')[0]);
  const jumps = new Set<string>();
  for (const line of lines) {
    const jump = JUMP_LINE.exec(line);
    if (jump && !jump[1].startsWith(CHAIN_PREFIX)) jumps.add(`${jump[1]} ${jump[2]}`);
  }
  return { chains, jumps };
}

function restore(input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('iptables-restore', ['--noflush', '-w', '5'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new IptablesError(`iptables-restore failed: ${stderr.trim()}`))));
    child.stdin.end(input);
  });
}

/**
 * Writes the rule set, deleting chains of ours it no longer uses, then puts back any jump into our
 * chains that is missing (a restore with --noflush leaves the built-in chains as they were).
 */
export async function applyRuleSet(rules: RuleSet): Promise<void> {
  for (const table of TABLES) {
    const state = await tableState(table);
    const current = new Set(rules[table].chains);
    await restore(restoreInput(table, rules[table], state.chains.filter((c) => !current.has(c))));
    for (const j of JUMPS) {
      if (j.table === table && !state.jumps.has(`${j.from} ${j.to}`)) await iptables(['-t', table, '-I', j.from, '1', ...jumpArgs(j).slice(1)]);
    }
  }
}

function jumpArgs(j: (typeof JUMPS)[number]): string[] {
  return [j.from, ...j.match, '-m', 'comment', '--comment', 'kctl service portals', '-j', j.to];
}

/** Removes our jumps and chains from every table; nothing of ours left is no error. */
export async function removeAllRules(): Promise<void> {
  for (const j of JUMPS) while (await succeeds(['-t', j.table, '-D', ...jumpArgs(j)]));
  for (const table of TABLES) {
    const chains = (await tableState(table).catch(() => ({ chains: [] }))).chains;
    if (chains.length > 0) await restore(restoreInput(table, { chains: [], rules: [] }, chains));
  }
}
