// Pure: the shape of a family of our iptables chains (the service proxy's, the network policies'),
// written whole with one iptables-restore per table, so a sync is all-or-nothing and the rules
// never drift from the API. Each family owns the chains named with its prefix and nothing else:
// neither family's writer ever touches the other's chains, nor other programs' (Docker's).
import { createHash } from 'node:crypto';

export type Table = 'nat' | 'filter';

/** One table's share of a family's rules: every chain it uses (others with its prefix are stale), and the rules. */
export interface TableRules {
  chains: string[];
  rules: string[];
}

export type RuleSet = Partial<Record<Table, TableRules>>;

/** A rule in a built-in chain jumping into one of the family's chains; kept in place at the top. */
export interface Jump {
  table: Table;
  from: string;
  to: string;
  match: string[];
}

export interface RuleFamily {
  /** Every chain of the family is named so; no family's prefix starts another's. */
  prefix: string;
  tables: readonly Table[];
  jumps: readonly Jump[];
  /** On the jumps, so a reader of iptables-save sees whose they are. */
  comment: string;
}

/** kube-proxy's chain naming: a hash of what the chain is for, short enough for iptables' 28 characters. */
export function hashedChainName(prefix: string, ...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('/')).digest();
  return `${prefix}-${base32(hash).slice(0, 16)}`;
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/**
 * iptables-restore input (for --noflush, which leaves everything not named alone) that rewrites one
 * table's chains of a family whole (declaring a chain flushes it) and deletes the stale ones, which
 * nothing refers to any more once the others are rewritten. One transaction: never half a sync.
 */
export function restoreInput(table: Table, rules: TableRules, stale: string[] = []): string {
  return [
    `*${table}`,
    ...[...rules.chains, ...stale].map((c) => `:${c} - [0:0]`),
    ...rules.rules,
    ...stale.map((c) => `-X ${c}`),
    'COMMIT',
    '',
  ].join('\n');
}
