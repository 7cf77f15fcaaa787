// `kctl token list`, printed as `kubeadm token list` prints it: TOKEN TTL EXPIRES USAGES
// DESCRIPTION EXTRA GROUPS, `<forever>`/`<never>` for tokens that do not expire, `<none>` for
// empty cells, aligned by Go's tabwriter with kubeadm's settings.
import type { BootstrapTokenInfo } from '../../api/bootstrap-token.js';
import { formatBootstrapToken } from '../../api/bootstrap-token.js';
import { TabWriter } from './tabwriter.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** apimachinery's duration.ShortHumanDuration: one unit, truncated (`23h`, `6d`, `59s`). */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

function joinOrNone(values: string[]): string {
  return values.join(',') || '<none>';
}

export function printJoinTokens(tokens: BootstrapTokenInfo[], now: Date): string {
  const lines = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const t of tokens) {
    const expires = t.expiration === undefined ? undefined : new Date(t.expiration);
    const valid = expires !== undefined && !Number.isNaN(expires.getTime());
    lines.push([
      formatBootstrapToken(t),
      expires === undefined ? '<forever>' : valid ? shortHumanDuration(expires.getTime() - now.getTime()) : '<invalid>',
      expires === undefined ? '<never>' : t.expiration!,
      joinOrNone(t.usages),
      joinOrNone(t.description ? [t.description] : []),
      joinOrNone(t.extraGroups),
    ]);
  }
  // kubeadm: tabwriter.NewWriter(out, 10, 4, 3, ' ', 0).
  return new TabWriter({ minWidth: 10, padding: 3, rememberWidths: false }).format(lines);
}
