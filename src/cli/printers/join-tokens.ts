// `kctl token list`, printed as `kubeadm token list` prints it: TOKEN TTL EXPIRES USAGES
// DESCRIPTION EXTRA GROUPS, `<forever>`/`<never>` for tokens that do not expire, `<none>` for
// empty cells, aligned by Go's tabwriter with kubeadm's settings.
import type { BootstrapTokenInfo } from '../../api/bootstrap-token.js';
import { formatBootstrapToken } from '../../api/bootstrap-token.js';
import { TabWriter } from './tabwriter.js';
import { shortHumanDuration } from '../../api/printers/duration.js';

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
