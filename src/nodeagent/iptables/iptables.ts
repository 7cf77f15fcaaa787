// Our hands on the host's packet filter: iptables-restore for a family's whole rule set, the jumps
// from the built-in chains into its chains, and the removal of everything of a family (`kctl
// cluster down`). Only chains named with the family's prefix are touched.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { restoreInput, type Jump, type RuleFamily, type RuleSet, type Table } from './rule-set.js';

const exec = promisify(execFile);

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

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface TableState {
  /** The family's chains. */
  chains: string[];
  /** The built-in chains' jumps into the family's, as `FROM TO`. */
  jumps: Set<string>;
}

/** What of the family a table holds now, from one iptables-save. */
async function tableState(family: RuleFamily, table: Table): Promise<TableState> {
  const { stdout } = await exec('iptables-save', ['-t', table]);
  const lines = stdout.split('\n');
  const jumpLine = new RegExp(`^-A (\\S+) .*-j (${escape(family.prefix)}\\S+)$`);
  const chains = lines.filter((line) => line.startsWith(`:${family.prefix}`)).map((line) => line.slice(1).split(' ')[0]);
  const jumps = new Set<string>();
  for (const line of lines) {
    const jump = jumpLine.exec(line);
    if (jump && !jump[1].startsWith(family.prefix)) jumps.add(`${jump[1]} ${jump[2]}`);
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

function jumpArgs(family: RuleFamily, j: Jump): string[] {
  return [j.from, ...j.match, '-m', 'comment', '--comment', family.comment, '-j', j.to];
}

/**
 * Writes the family's rule set, deleting chains of the family it no longer uses, then puts back
 * any jump into its chains that is missing (a restore with --noflush leaves the built-in chains as
 * they were).
 */
export async function applyRuleSet(family: RuleFamily, rules: RuleSet): Promise<void> {
  for (const table of family.tables) {
    const state = await tableState(family, table);
    const want = rules[table] ?? { chains: [], rules: [] };
    const current = new Set(want.chains);
    await restore(restoreInput(table, want, state.chains.filter((c) => !current.has(c))));
    for (const j of family.jumps) {
      if (j.table === table && !state.jumps.has(`${j.from} ${j.to}`)) await iptables(['-t', table, '-I', j.from, '1', ...jumpArgs(family, j).slice(1)]);
    }
  }
}

/** Removes the family's jumps and chains from every table; nothing of it left is no error. */
export async function removeRules(family: RuleFamily): Promise<void> {
  for (const j of family.jumps) while (await succeeds(['-t', j.table, '-D', ...jumpArgs(family, j)]));
  for (const table of family.tables) {
    const chains = (await tableState(family, table).catch(() => ({ chains: [] }))).chains;
    if (chains.length > 0) await restore(restoreInput(table, { chains: [], rules: [] }, chains));
  }
}
