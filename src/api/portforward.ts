// Kubernetes' WebSocket port-forward protocol (the kubelet's, behind pods/portforward): one
// connection carries one TCP connection per requested port. Port i has a data channel (2i, both
// ways) and an error channel (2i+1, server to client). Every message starts with its channel byte;
// the server's first message on each channel is the port number, 2 bytes little-endian, so the
// client can check which port a channel belongs to. The client sends plain data, no port prefix.
import { encodeFrame } from './remotecommand.js';

/** The binary channel protocol; a client offering no subprotocol is served the same framing. */
export const PORTFORWARD_SUBPROTOCOLS = ['v4.channel.k8s.io'] as const;

export const dataChannel = (index: number): number => index * 2;
export const errorChannel = (index: number): number => index * 2 + 1;

/** The server's first message on a channel: the port it belongs to. */
export function encodePortPrefix(channel: number, port: number): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16LE(port);
  return encodeFrame(channel, prefix);
}

/**
 * The kubelet's reading of the `port` query parameters (each may list several, comma-separated),
 * with its error texts.
 */
export function parsePortParams(values: string[]): number[] {
  if (values.length === 0) throw new Error('query parameter "port" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') throw new Error('query parameter "port" cannot be empty');
    for (const p of value.split(',')) {
      if (!/^\d+$/.test(p) || Number(p) > 65535) throw new Error(`unable to parse "${value}" as a port`);
      if (Number(p) < 1) throw new Error(`port "${value}" must be > 0`);
      ports.push(Number(p));
    }
  }
  return ports;
}

export interface ChannelData {
  channel: number;
  data: Buffer;
}

/**
 * The client's reading of the server's messages: the payload of each, once the port prefix of its
 * channel has been taken off (and checked against the port the channel belongs to).
 */
export class PortForwardDecoder {
  /** By channel: bytes of the port prefix still to come, and those already read. */
  private readonly prefixes = new Map<number, Buffer>();

  constructor(private readonly ports: readonly number[]) {}

  decode(message: Buffer): ChannelData | undefined {
    if (message.length === 0) return undefined;
    const channel = message[0];
    const index = channel >> 1;
    if (index >= this.ports.length) throw new Error(`received a message on channel ${channel}, which no requested port has`);
    let data = message.subarray(1);
    const seen = this.prefixes.get(channel) ?? Buffer.alloc(0);
    if (seen.length < 2) {
      const taken = Buffer.concat([seen, data.subarray(0, 2 - seen.length)]);
      data = data.subarray(2 - seen.length);
      this.prefixes.set(channel, taken);
      if (taken.length < 2) return undefined;
      const port = taken.readUInt16LE(0);
      if (port !== this.ports[index]) throw new Error(`the server sent port ${port} on channel ${channel}, expected ${this.ports[index]}`);
    }
    return data.length > 0 ? { channel, data } : undefined;
  }
}
