import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from './errors.js';

// Kubernetes' WebSocket remotecommand protocol (exec): every binary message starts with a channel
// byte. The client writes stdin (0), resize (4) and, in v5, close (255, naming the channel it
// closes); the server writes stdout (1), stderr (2) and, once the command has ended, a metav1
// Status on the error channel (3), then closes the connection.

/**
 * The identity the API server calls node agents' logs and exec endpoint with (kube-apiserver's
 * name for its kubelet client); agents serve no one else.
 */
export const API_SERVER_PROXY_USER = 'kube-apiserver-kubelet-client';

export const EXEC_SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type ExecSubprotocol = (typeof EXEC_SUBPROTOCOLS)[number];

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface TerminalSize {
  width: number;
  height: number;
}

/** The subprotocol to speak: the newest both sides know, or undefined. */
export function pickSubprotocol(offered: Iterable<string>): ExecSubprotocol | undefined {
  const set = new Set(offered);
  return EXEC_SUBPROTOCOLS.find((p) => set.has(p));
}

export function encodeFrame(channel: number, data: Uint8Array | string = Buffer.alloc(0)): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.from([channel]), payload]);
}

export function decodeFrame(message: Buffer): { channel: number; data: Buffer } | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0], data: message.subarray(1) };
}

/** The resize channel's JSON, `{"Width":80,"Height":24}`; undefined when malformed. */
export function decodeResize(data: Buffer): TerminalSize | undefined {
  try {
    const { Width, Height } = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (!Number.isInteger(Width) || !Number.isInteger(Height) || (Width as number) <= 0 || (Height as number) <= 0) return undefined;
    return { width: Width as number, height: Height as number };
  } catch {
    return undefined;
  }
}

export function encodeResize(size: TerminalSize): Buffer {
  return encodeFrame(Channel.resize, JSON.stringify({ Width: size.width, Height: size.height }));
}

/** The Status the kubelet ends an exec with: Success, or NonZeroExitCode carrying the code. */
export function exitStatus(exitCode: number, command: string[]): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command '${command.join(' ')}' exited with ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** A Status on the error channel for a failure that is not the command's own exit. */
export function failureStatus(message: string): object {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

export type ExecOutcome = { exitCode: number } | { error: string };

/** What the error channel's Status says: the command's exit code, or why the exec failed. */
export function execOutcome(statusJson: string): ExecOutcome {
  if (!statusJson.trim()) return { exitCode: 0 };
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(statusJson);
  } catch {
    return { error: `error stream protocol error: ${statusJson.trim()}` };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { exitCode: code };
    return { error: `error stream protocol error: invalid exit code value ${JSON.stringify(cause?.message)}` };
  }
  return { error: status.message ?? statusJson.trim() };
}

/** The error answer to a request that asked to upgrade, before any upgrade happened. */
export function refuseUpgrade(socket: Duplex, err: ApiError): void {
  if (!socket.writable) return;
  const body = JSON.stringify(err.toStatus());
  const head = [`HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
