// The server side of a SPDY/3.1 connection: streams the client opens (SYN_STREAM), each a Duplex
// whose writes become DATA frames and whose end() is a FIN (half-close); RST_STREAM both ways,
// PING echoed, SETTINGS and WINDOW_UPDATE for flow control, GOAWAY on protocol errors. Frames are
// handled one after another, because header blocks share one zlib stream per direction.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import {
  DEFAULT_INITIAL_WINDOW,
  FrameReader,
  GoAwayStatus,
  RstStatus,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SpdyProtocolError,
  encodeFrame,
  type Frame,
} from './frames.js';
import { HeaderCompression } from './header-compression.js';
import type { SpdyHeaders } from './header-block.js';

/** Largest DATA payload sent at once, so one busy stream does not hold up the others for long. */
const MAX_DATA_CHUNK = 16 * 1024;

export class SpdyStream extends Duplex {
  /** What may still be sent before the peer opens its window further. */
  sendWindow: number;
  /** Bytes received but not yet given back to the peer's window. */
  unacknowledged = 0;
  remoteClosed = false;
  /** Set when the peer reset the stream, so no RST_STREAM goes back. */
  reset = false;

  constructor(
    private readonly session: SpdyServerSession,
    readonly id: number,
    readonly headers: SpdyHeaders,
    sendWindow: number,
  ) {
    super({ allowHalfOpen: true });
    this.sendWindow = sendWindow;
  }

  /** The first value of a header, '' when absent. */
  header(name: string): string {
    return this.headers[name.toLowerCase()]?.[0] ?? '';
  }

  /** Accepts the stream (SYN_REPLY); with `fin`, refuses to carry anything on it. */
  reply(headers: SpdyHeaders = {}, fin = false): Promise<void> {
    return this.session.reply(this, headers, fin);
  }

  override _read(): void {
    this.session.acknowledge(this);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.session.sendData(this, chunk, false).then(() => callback(), callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.session.sendData(this, Buffer.alloc(0), true).then(() => callback(), callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.session.forget(this, !this.reset && !(this.remoteClosed && this.writableFinished));
    callback(err);
  }
}

export class SpdyServerSession {
  private readonly reader = new FrameReader();
  private readonly compression = new HeaderCompression();
  private readonly streams = new Map<number, SpdyStream>();
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private goneAway = false;
  private closed = false;
  private initialSendWindow = DEFAULT_INITIAL_WINDOW;
  private sessionSendWindow = DEFAULT_INITIAL_WINDOW;
  /**
   * Whether the peer practises flow control. kubectl's spdystream never sends WINDOW_UPDATE, nor
   * honours it (the kubelet's side ignores windows as well); holding data back for windows such a
   * peer never opens would stall every forward after 64 KiB. The first SETTINGS or WINDOW_UPDATE
   * from the peer turns the windows on.
   */
  private peerFlowControl = false;
  private windowWaiters: (() => void)[] = [];

  constructor(
    private readonly socket: Duplex,
    private readonly onStream: (stream: SpdyStream) => void,
    private readonly log: (msg: string) => void,
  ) {
    (socket as Partial<Socket>).setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    socket.on('end', () => socket.end());
  }

  /** Bytes from the connection (also those read with the upgrade request). */
  receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      return this.fail(err as Error);
    }
    for (const frame of frames) {
      this.incoming = this.incoming.then(() => this.handle(frame)).catch((err: Error) => this.fail(err));
    }
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.log(`SPDY session: ${err.message}`);
    const status = err instanceof SpdyProtocolError ? GoAwayStatus.protocolError : GoAwayStatus.internalError;
    this.send(encodeFrame({ type: 'goAway', lastGoodStreamId: this.lastStreamId, status }));
    this.outgoing.then(() => this.socket.end());
    this.goneAway = true;
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    switch (frame.type) {
      case 'synStream': {
        // Decompressed even when refused: the zlib stream must see every block.
        const headers = await this.compression.decompress(frame.headerBlock);
        if (this.goneAway) return this.sendReset(frame.streamId, RstStatus.refusedStream);
        if (frame.streamId % 2 !== 1 || frame.streamId <= this.lastStreamId) return this.sendReset(frame.streamId, RstStatus.protocolError);
        this.lastStreamId = frame.streamId;
        const stream = new SpdyStream(this, frame.streamId, headers, this.initialSendWindow);
        this.streams.set(frame.streamId, stream);
        if (frame.fin) this.remoteFinished(stream);
        if (frame.unidirectional) stream.end();
        return this.onStream(stream);
      }
      case 'synReply':
      case 'headers':
        // A server gets no replies, and extra headers mean nothing to port-forward; read to keep zlib in step.
        await this.compression.decompress(frame.headerBlock);
        if (frame.fin) {
          const stream = this.streams.get(frame.streamId);
          if (stream) this.remoteFinished(stream);
        }
        return;
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return this.sendReset(frame.streamId, RstStatus.invalidStream);
        if (stream.remoteClosed) return this.sendReset(frame.streamId, RstStatus.streamAlreadyClosed);
        // Not held to our window: spdystream sends regardless of it, and Node buffers what is pushed.
        if (frame.data.length) {
          stream.unacknowledged += frame.data.length;
          if (stream.push(frame.data)) this.acknowledge(stream);
        }
        if (frame.fin) this.remoteFinished(stream);
        return;
      }
      case 'rstStream': {
        const stream = this.streams.get(frame.streamId);
        if (stream) {
          stream.reset = true;
          stream.destroy(new Error(`stream reset by the peer (status ${frame.status})`));
        }
        return;
      }
      case 'settings':
        for (const entry of frame.entries) {
          if (entry.id !== SETTINGS_INITIAL_WINDOW_SIZE) continue;
          const delta = entry.value - this.initialSendWindow;
          this.initialSendWindow = entry.value;
          for (const stream of this.streams.values()) stream.sendWindow += delta;
          this.peerFlowControl = true;
        }
        return this.wakeWindowWaiters();
      case 'windowUpdate':
        if (frame.streamId === 0) this.sessionSendWindow += frame.delta;
        else {
          const stream = this.streams.get(frame.streamId);
          if (stream) stream.sendWindow += frame.delta;
        }
        this.peerFlowControl = true;
        return this.wakeWindowWaiters();
      case 'ping':
        // The client's pings have odd ids; an even one would answer a ping of ours, and we send none.
        if (frame.id % 2 === 1) this.send(encodeFrame(frame));
        return;
      case 'goAway':
        this.goneAway = true;
        return;
      case 'unknown':
        return;
    }
  }

  private remoteFinished(stream: SpdyStream): void {
    stream.remoteClosed = true;
    this.acknowledge(stream);
    stream.push(null);
  }

  /** Gives consumed bytes back to the peer's windows (the stream's and, in SPDY/3.1, the session's). */
  acknowledge(stream: SpdyStream): void {
    const delta = stream.unacknowledged;
    // Batched: an update per half window keeps the peer sending without a frame per DATA frame.
    if (delta === 0 || (delta < DEFAULT_INITIAL_WINDOW / 2 && !stream.remoteClosed)) return;
    stream.unacknowledged = 0;
    const updates = [encodeFrame({ type: 'windowUpdate', streamId: 0, delta })];
    // A stream the peer has finished needs no more window; the session still does.
    if (!stream.remoteClosed) updates.unshift(encodeFrame({ type: 'windowUpdate', streamId: stream.id, delta }));
    this.send(Buffer.concat(updates));
  }

  async reply(stream: SpdyStream, headers: SpdyHeaders, fin: boolean): Promise<void> {
    await this.enqueue(async () => encodeFrame({ type: 'synReply', streamId: stream.id, fin, headerBlock: await this.compression.compress(headers) }));
    if (fin) stream.end();
  }

  async sendData(stream: SpdyStream, chunk: Buffer, fin: boolean): Promise<void> {
    let offset = 0;
    do {
      if (this.closed || stream.reset) throw new Error('the SPDY stream is closed');
      const room = this.peerFlowControl ? Math.min(stream.sendWindow, this.sessionSendWindow) : Infinity;
      if (room <= 0 && offset < chunk.length) {
        await new Promise<void>((resolve) => this.windowWaiters.push(resolve));
        continue;
      }
      const n = Math.min(room, chunk.length - offset, MAX_DATA_CHUNK);
      const piece = chunk.subarray(offset, offset + n);
      offset += n;
      stream.sendWindow -= n;
      this.sessionSendWindow -= n;
      await this.enqueue(() => encodeFrame({ type: 'data', streamId: stream.id, fin: fin && offset === chunk.length, data: piece }));
    } while (offset < chunk.length);
  }

  private wakeWindowWaiters(): void {
    const waiters = this.windowWaiters;
    this.windowWaiters = [];
    for (const wake of waiters) wake();
  }

  private sendReset(streamId: number, status: number): void {
    this.send(encodeFrame({ type: 'rstStream', streamId, status }));
  }

  /** A stream is done with: removed, and reset unless both sides had closed it. */
  forget(stream: SpdyStream, sendReset: boolean): void {
    if (this.streams.get(stream.id) !== stream) return;
    this.streams.delete(stream.id);
    if (sendReset && !this.closed) this.sendReset(stream.id, RstStatus.cancel);
  }

  private send(frame: Buffer): void {
    this.enqueue(() => frame).catch(() => undefined);
  }

  /** Writes frames in the order they were asked for, waiting for the socket to drain. */
  private enqueue(build: () => Buffer | Promise<Buffer>): Promise<void> {
    const run = this.outgoing.then(async () => {
      const frame = await build();
      if (this.closed || !this.socket.writable) throw new Error('the SPDY connection is closed');
      if (!this.socket.write(frame)) await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    });
    this.outgoing = run.catch(() => undefined);
    return run;
  }

  /** The connection is gone: every stream ends with it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wakeWindowWaiters();
    for (const stream of this.streams.values()) {
      stream.reset = true;
      stream.destroy();
    }
    this.streams.clear();
    this.compression.close();
    this.socket.destroy();
  }
}
