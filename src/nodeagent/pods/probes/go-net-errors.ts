// Pure: Node's socket errors in the words of Go's net package, which the kubelet's HTTP and TCP
// probes quote in their failure output (`dial tcp 10.244.0.5:8080: connect: connection refused`).

// The errno texts Go prints (its syscall.Errno strings).
const ERRNO_TEXTS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

/** Go's net.JoinHostPort: IPv6 addresses in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Why connecting to `host:port` failed, as Go's net.Dial says it. */
export function dialErrorText(host: string, port: number, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `dial tcp: lookup ${host}: no such host`;
  const text = (err.code && ERRNO_TEXTS[err.code]) ?? err.message;
  return `dial tcp ${joinHostPort(host, port)}: connect: ${text}`;
}

/** A connection attempt that ran out of time, as Go's net.DialTimeout says it. */
export function dialTimeoutText(host: string, port: number): string {
  return `dial tcp ${joinHostPort(host, port)}: i/o timeout`;
}
