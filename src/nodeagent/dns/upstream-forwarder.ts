// Hands queries for names outside the cluster to the upstream resolvers as they came (same bytes,
// same ID): over UDP from a fresh socket each (a random source port), over TCP when the client
// asked over TCP. The next upstream is tried when one does not answer in time.
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';

export interface Upstream {
  address: string;
  port: number;
}

const DNS_PORT = 53;
/** How long one upstream gets before the next is asked; a resolver's default attempt is 5 s. */
const UPSTREAM_TIMEOUT_MS = 2000;

/** `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353`. */
export function parseUpstream(text: string): Upstream {
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { address: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : DNS_PORT };
  if (isIPv6(text)) return { address: text, port: DNS_PORT };
  const [address, port] = text.split(':');
  return { address, port: port ? Number(port) : DNS_PORT };
}

function udpExchange(u: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(u.address) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(new Error(`${u.address}:${u.port} did not answer`)), timeoutMs);
    const finish = (err?: Error, answer?: Buffer) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(answer!);
    };
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg, from) => {
      // Only the upstream's answer to this very query counts (spoofed or stray datagrams do not).
      if (from.port !== u.port || msg.length < 2 || msg.readUInt16BE(0) !== query.readUInt16BE(0)) return;
      finish(undefined, msg);
    });
    socket.send(query, u.port, u.address);
  });
}

function tcpExchange(u: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.address, port: u.port });
    let data = Buffer.alloc(0);
    const finish = (err?: Error, answer?: Buffer) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`${u.address}:${u.port} did not answer`)));
    socket.on('error', (err) => finish(err));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) finish(undefined, data.subarray(2, 2 + data.readUInt16BE(0)));
    });
    socket.on('end', () => finish(new Error(`${u.address}:${u.port} closed the connection`)));
  });
}

export class UpstreamForwarder {
  constructor(
    readonly upstreams: Upstream[],
    private readonly timeoutMs = UPSTREAM_TIMEOUT_MS,
  ) {}

  /** The first upstream's answer; undefined when none answered. */
  async forward(query: Buffer, tcp: boolean): Promise<Buffer | undefined> {
    for (const u of this.upstreams) {
      try {
        return await (tcp ? tcpExchange : udpExchange)(u, query, this.timeoutMs);
      } catch {
        // The next one.
      }
    }
    return undefined;
  }
}
