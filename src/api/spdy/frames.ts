// SPDY/3.1 framing (SPDY Protocol Draft 3.1, section 2.2): an 8-byte header, then the payload.
// Control frames: bit C set, version (3), type, flags, 24-bit length. Data frames: bit C clear,
// 31-bit stream id, flags, length. Header blocks stay compressed here; header-compression.ts
// turns them into name/value pairs, because their zlib context spans the whole connection.

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;
export const DEFAULT_INITIAL_WINDOW = 64 * 1024;
const MAX_LENGTH = 0xffffff;

export const ControlType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

/** RST_STREAM status codes. */
export const RstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6, flowControlError: 7, streamInUse: 8, streamAlreadyClosed: 9 } as const;

/** GOAWAY status codes. */
export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

export interface SettingEntry {
  flags: number;
  id: number;
  value: number;
}

export type Frame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedTo: number; priority: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'synReply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; clearPersisted: boolean; entries: SettingEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastGoodStreamId: number; status: number }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  /** A control type this codec does not read (CREDENTIAL, or newer ones): skipped, as the spec says. */
  | { type: 'unknown'; controlType: number };

export class SpdyProtocolError extends Error {}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_LENGTH) throw new SpdyProtocolError(`frame payload of ${payload.length} bytes exceeds 2^24-1`);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE((flags << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

const streamId31 = (id: number) => id & 0x7fffffff;

export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > MAX_LENGTH) throw new SpdyProtocolError(`frame payload of ${frame.data.length} bytes exceeds 2^24-1`);
      const head = Buffer.alloc(8);
      head.writeUInt32BE(streamId31(frame.streamId), 0);
      head.writeUInt32BE(((frame.fin ? FLAG_FIN : 0) << 24) | frame.data.length, 4);
      return Buffer.concat([head, frame.data]);
    }
    case 'synStream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(streamId31(frame.streamId), 0);
      fixed.writeUInt32BE(streamId31(frame.associatedTo), 4);
      fixed[8] = (frame.priority & 0x7) << 5;
      const flags = (frame.fin ? FLAG_FIN : 0) | (frame.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return controlFrame(ControlType.synStream, flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case 'synReply':
    case 'headers':
      return controlFrame(
        frame.type === 'synReply' ? ControlType.synReply : ControlType.headers,
        frame.fin ? FLAG_FIN : 0,
        Buffer.concat([words(streamId31(frame.streamId)), frame.headerBlock]),
      );
    case 'rstStream':
      return controlFrame(ControlType.rstStream, 0, words(streamId31(frame.streamId), frame.status));
    case 'settings': {
      const entries = frame.entries.map((e) => words(((e.flags & 0xff) << 24) | (e.id & 0xffffff), e.value));
      return controlFrame(ControlType.settings, frame.clearPersisted ? 1 : 0, Buffer.concat([words(entries.length), ...entries]));
    }
    case 'ping':
      return controlFrame(ControlType.ping, 0, words(frame.id));
    case 'goAway':
      return controlFrame(ControlType.goAway, 0, words(streamId31(frame.lastGoodStreamId), frame.status));
    case 'windowUpdate':
      return controlFrame(ControlType.windowUpdate, 0, words(streamId31(frame.streamId), frame.delta & 0x7fffffff));
    case 'unknown':
      throw new SpdyProtocolError(`cannot encode control frame type ${frame.controlType}`);
  }
}

function needLength(type: string, payload: Buffer, min: number): void {
  if (payload.length < min) throw new SpdyProtocolError(`${type} frame too short (${payload.length} bytes)`);
}

function decodeControl(type: number, flags: number, p: Buffer): Frame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case ControlType.synStream:
      needLength('SYN_STREAM', p, 10);
      return {
        type: 'synStream',
        streamId: streamId31(p.readUInt32BE(0)),
        associatedTo: streamId31(p.readUInt32BE(4)),
        priority: p[8] >> 5,
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: p.subarray(10),
      };
    case ControlType.synReply:
    case ControlType.headers:
      needLength(type === ControlType.synReply ? 'SYN_REPLY' : 'HEADERS', p, 4);
      return { type: type === ControlType.synReply ? 'synReply' : 'headers', streamId: streamId31(p.readUInt32BE(0)), fin, headerBlock: p.subarray(4) };
    case ControlType.rstStream:
      needLength('RST_STREAM', p, 8);
      return { type: 'rstStream', streamId: streamId31(p.readUInt32BE(0)), status: p.readUInt32BE(4) };
    case ControlType.settings: {
      needLength('SETTINGS', p, 4);
      const count = p.readUInt32BE(0);
      needLength('SETTINGS', p, 4 + count * 8);
      const entries: SettingEntry[] = [];
      for (let i = 0; i < count; i++) {
        const idWord = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: idWord >>> 24, id: idWord & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clearPersisted: (flags & 1) !== 0, entries };
    }
    case ControlType.ping:
      needLength('PING', p, 4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case ControlType.goAway:
      needLength('GOAWAY', p, 4);
      // SPDY/2 peers send no status; SPDY/3 always does.
      return { type: 'goAway', lastGoodStreamId: streamId31(p.readUInt32BE(0)), status: p.length >= 8 ? p.readUInt32BE(4) : GoAwayStatus.ok };
    case ControlType.windowUpdate:
      needLength('WINDOW_UPDATE', p, 8);
      return { type: 'windowUpdate', streamId: streamId31(p.readUInt32BE(0)), delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', controlType: type };
  }
}

/** Cuts a byte stream into frames; bytes of an unfinished frame wait for the next push. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buffered.length >= 8) {
      const length = this.buffered.readUInt32BE(4) & 0xffffff;
      if (this.buffered.length < 8 + length) break;
      const head = this.buffered.subarray(0, 8);
      // Copied out: the payload outlives the buffer it came in.
      const payload = Buffer.from(this.buffered.subarray(8, 8 + length));
      this.buffered = this.buffered.subarray(8 + length);
      const flags = head[4];
      if (head[0] & 0x80) {
        const version = head.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push(decodeControl(head.readUInt16BE(2), flags, payload));
      } else {
        frames.push({ type: 'data', streamId: streamId31(head.readUInt32BE(0)), fin: (flags & FLAG_FIN) !== 0, data: payload });
      }
    }
    return frames;
  }
}
