// The SPDY server session over a loopback connection, driven by hand-made client frames:
// SYN_REPLY for an accepted stream, data both ways with FIN half-close, PING echo, RST for an
// unknown stream, and send windows once the client shows it does flow control.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { FrameReader, encodeFrame, type Frame } from '../../src/api/spdy/frames.js';
import { HeaderCompression } from '../../src/api/spdy/header-compression.js';
import { SpdyServerSession, type SpdyStream } from '../../src/api/spdy/session.js';

interface Client {
  socket: net.Socket;
  compression: HeaderCompression;
  /** The next frame from the server. */
  next(): Promise<Frame>;
  send(frame: Frame): void;
  streams: SpdyStream[];
  close(): void;
}

async function connect(): Promise<Client> {
  const streams: SpdyStream[] = [];
  const waiting: SpdyStream[] = [];
  const server = net.createServer((socket) => {
    new SpdyServerSession(socket, (s) => streams.push(s) && waiting.push(s), () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const reader = new FrameReader();
  const frames: Frame[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk) => {
    frames.push(...reader.push(chunk));
    wake?.();
  });
  const compression = new HeaderCompression();
  return {
    socket,
    compression,
    streams,
    send: (frame) => socket.write(encodeFrame(frame)),
    async next() {
      while (frames.length === 0) await new Promise<void>((r) => (wake = r));
      return frames.shift()!;
    },
    close() {
      socket.destroy();
      server.close();
      compression.close();
    },
  };
}

async function open(c: Client, streamId: number, headers: Record<string, string[]>): Promise<SpdyStream> {
  c.send({ type: 'synStream', streamId, associatedTo: 0, priority: 0, fin: false, unidirectional: false, headerBlock: await c.compression.compress(headers) });
  while (!c.streams.find((s) => s.id === streamId)) await new Promise((r) => setTimeout(r, 5));
  return c.streams.find((s) => s.id === streamId)!;
}

test('a stream: headers read, SYN_REPLY, data both ways, FIN half-close each way', async () => {
  const c = await connect();
  try {
    const stream = await open(c, 1, { streamtype: ['data'], port: ['80'] });
    assert.equal(stream.header('streamType'), 'data');
    await stream.reply();
    const reply = await c.next();
    assert.equal(reply.type, 'synReply');
    const peer = new HeaderCompression();
    assert.deepEqual(await peer.decompress((reply as any).headerBlock), {});
    peer.close();
    const received: Buffer[] = [];
    stream.on('data', (d: Buffer) => received.push(d));
    const ended = new Promise((r) => stream.on('end', r));
    c.send({ type: 'data', streamId: 1, fin: true, data: Buffer.from('ping') });
    await ended;
    assert.equal(Buffer.concat(received).toString(), 'ping');
    // The finished stream's bytes go back to the session's window (SPDY/3.1), not the stream's.
    assert.deepEqual(await c.next(), { type: 'windowUpdate', streamId: 0, delta: 4 });
    stream.end('pong');
    assert.deepEqual(await c.next(), { type: 'data', streamId: 1, fin: false, data: Buffer.from('pong') });
    assert.deepEqual(await c.next(), { type: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) });
  } finally {
    c.close();
  }
});

test('PING is echoed; data for an unknown stream is answered with RST_STREAM INVALID_STREAM', async () => {
  const c = await connect();
  try {
    c.send({ type: 'ping', id: 1 });
    assert.deepEqual(await c.next(), { type: 'ping', id: 1 });
    c.send({ type: 'data', streamId: 9, fin: false, data: Buffer.from('x') });
    assert.deepEqual(await c.next(), { type: 'rstStream', streamId: 9, status: 2 });
  } finally {
    c.close();
  }
});

test('once the client sets a window, data waits for its WINDOW_UPDATE', async () => {
  const c = await connect();
  try {
    c.send({ type: 'settings', clearPersisted: false, entries: [{ flags: 0, id: 7, value: 4 }] });
    const stream = await open(c, 1, { streamtype: ['data'] });
    await stream.reply();
    assert.equal((await c.next()).type, 'synReply');
    stream.write('abcdefgh');
    assert.deepEqual(await c.next(), { type: 'data', streamId: 1, fin: false, data: Buffer.from('abcd') });
    const nothing = await Promise.race([c.next(), new Promise((r) => setTimeout(() => r('nothing'), 100))]);
    assert.equal(nothing, 'nothing');
    c.send({ type: 'windowUpdate', streamId: 1, delta: 10 });
    assert.deepEqual(await c.next(), { type: 'data', streamId: 1, fin: false, data: Buffer.from('efgh') });
  } finally {
    c.close();
  }
});

test('RST_STREAM from the client destroys the stream; a stream destroyed here is reset', async () => {
  const c = await connect();
  try {
    const first = await open(c, 1, {});
    const closed = new Promise((r) => first.on('close', r));
    first.on('error', () => undefined);
    c.send({ type: 'rstStream', streamId: 1, status: 5 });
    await closed;
    const second = await open(c, 3, {});
    await second.reply();
    assert.equal((await c.next()).type, 'synReply');
    second.destroy();
    assert.deepEqual(await c.next(), { type: 'rstStream', streamId: 3, status: 5 });
  } finally {
    c.close();
  }
});
