// pods/portforward over SPDY/3.1, as kubectl's (client-go's) SPDY dialer speaks it: the API
// server answers the upgrade itself and serves the SPDY session. Per forwarded connection kubectl
// opens an error stream and a data stream with the same `requestID` and `port` headers; the pair
// is carried over one WebSocket to the node agent's /portForward (data on channel 0, the agent's
// failure text on channel 1), so agents speak only the WebSocket protocol. The kubelet's streaming
// server (pkg/kubelet/cri/streaming/portforward/httpstream.go) is what this answers like.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { ApiError } from '../../api/errors.js';
import { PortForwardDecoder, dataChannel, errorChannel } from '../../api/portforward.js';
import { encodeFrame } from '../../api/remotecommand.js';
import { SpdyServerSession, type SpdyStream } from '../../api/spdy/session.js';

export const SPDY_UPGRADE = 'SPDY/3.1';
export const PORTFORWARD_SPDY_PROTOCOL = 'portforward.k8s.io';
/** How long the kubelet waits for the second stream of a pair (its default streamCreationTimeout). */
const STREAM_PAIR_TIMEOUT_MS = 30_000;

/** A WebSocket to the agent's /portForward for one pod port, with the agent's refusal as an error. */
export type AgentPortDialer = (port: number) => WebSocket;

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === SPDY_UPGRADE.toLowerCase();
}

/** client-go's handshake: the client lists the stream protocols it speaks; the server picks one. */
function negotiate(req: IncomingMessage): void {
  const offered = (req.headersDistinct['x-stream-protocol-version'] ?? []).flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
  if (!offered.includes(PORTFORWARD_SPDY_PROTOCOL)) {
    throw new ApiError('Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${PORTFORWARD_SPDY_PROTOCOL}]`);
  }
}

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** The port a stream's `port` header names, with the kubelet's texts. */
function streamPort(stream: SpdyStream): number {
  const text = stream.header('port');
  if (!text) throw new Error('"port" header is required');
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new Error(`unable to parse "${text}" as a port`);
  if (Number(text) < 1) throw new Error(`port "${text}" must be > 0`);
  return Number(text);
}

/**
 * The request a stream belongs to: its `requestID`, or for clients older than that header, the
 * kubelet's guess from the stream ids (the error stream is opened just before the data stream).
 */
function requestId(stream: SpdyStream, type: string): string {
  return stream.header('requestid') || String(type === 'data' ? stream.id - 2 : stream.id);
}

export function serveSpdyPortForward(req: IncomingMessage, socket: Duplex, head: Buffer, dial: AgentPortDialer, log: (msg: string) => void): void {
  negotiate(req);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${SPDY_UPGRADE}\r\nX-Stream-Protocol-Version: ${PORTFORWARD_SPDY_PROTOCOL}\r\n\r\n`);
  const pairs = new Map<string, StreamPair>();
  const session = new SpdyServerSession(socket, (stream) => {
    const type = stream.header('streamtype');
    let port: number;
    try {
      if (type !== 'error' && type !== 'data') throw new Error(type ? `invalid stream type "${type}"` : '"streamType" header is required');
      port = streamPort(stream);
    } catch (err) {
      log(`port-forward: refusing SPDY stream ${stream.id}: ${(err as Error).message}`);
      stream.reply({}, true).catch(() => stream.destroy());
      return;
    }
    stream.on('error', () => undefined);
    stream.reply().catch(() => stream.destroy());
    const id = requestId(stream, type);
    const pair = pairs.get(id) ?? {
      timer: setTimeout(() => {
        pairs.delete(id);
        pair.error?.end('timed out waiting for streams');
        pair.data?.destroy();
      }, STREAM_PAIR_TIMEOUT_MS),
    };
    pairs.set(id, pair);
    pair[type] = stream;
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(id);
      forward(port, pair.error, pair.data, dial);
    }
  }, log);
  socket.on('close', () => {
    for (const pair of pairs.values()) clearTimeout(pair.timer);
    pairs.clear();
  });
  if (head.length) session.receive(head);
}

/** One forwarded connection: the data stream joined to a WebSocket to the agent for the port. */
function forward(port: number, errorStream: SpdyStream, dataStream: SpdyStream, dial: AgentPortDialer): void {
  // The client writes nothing on the error stream (it half-closes it at once).
  errorStream.resume();
  dataStream.pause();
  const ws = dial(port);
  const decoder = new PortForwardDecoder([port]);
  let errorText = '';
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    if (!dataStream.destroyed) dataStream.end();
    if (!errorStream.destroyed) errorStream.end(errorText || undefined);
  };
  ws.on('open', () => dataStream.resume());
  ws.on('message', (message: Buffer) => {
    let frame;
    try {
      frame = decoder.decode(message);
    } catch (err) {
      errorText += (err as Error).message;
      return ws.close(1000);
    }
    if (frame?.channel === dataChannel(0)) {
      // The client reads slower than the pod sends: hold the agent back.
      if (!dataStream.write(frame.data)) {
        ws.pause();
        dataStream.once('drain', () => ws.resume());
      }
    } else if (frame?.channel === errorChannel(0)) {
      errorText += frame.data.toString('utf8');
    }
  });
  ws.on('error', (err: Error) => {
    errorText ||= err.message;
    finish();
  });
  ws.on('close', finish);
  dataStream.on('data', (chunk: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(dataChannel(0), chunk));
  });
  // A WebSocket channel cannot be half-closed: the client's FIN ends the pod connection.
  dataStream.on('end', () => ws.close(1000));
  dataStream.on('close', () => {
    if (ws.readyState === ws.CONNECTING || ws.readyState === ws.OPEN) ws.terminate();
  });
}
