// SPDY/3 name/value header blocks (section 2.6.10), uncompressed: a 32-bit pair count, then per pair
// a 32-bit name length, the name (lower case), a 32-bit value length and the value; several values
// of one name are joined by NUL bytes. Lengths are big-endian.
import { SpdyProtocolError } from './frames.js';

/** Header name (lower case) to its values, as Go's http.Header holds them. */
export type SpdyHeaders = Record<string, string[]>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const names = Object.keys(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(names.length);
  parts.push(count);
  for (const name of names) {
    for (const text of [name.toLowerCase(), headers[name].join('\0')]) {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let at = 0;
  const u32 = (): number => {
    if (at + 4 > block.length) throw new SpdyProtocolError('header block ends early');
    const v = block.readUInt32BE(at);
    at += 4;
    return v;
  };
  const text = (): string => {
    const length = u32();
    if (at + length > block.length) throw new SpdyProtocolError('header block ends early');
    const s = block.toString('utf8', at, at + length);
    at += length;
    return s;
  };
  const headers: SpdyHeaders = {};
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = text();
    if (name === '') throw new SpdyProtocolError('header block has an empty name');
    // Names are lower case on the wire; a peer that sends otherwise still means the same header.
    const key = name.toLowerCase();
    if (key in headers) throw new SpdyProtocolError(`header block names ${key} twice`);
    headers[key] = text().split('\0');
  }
  return headers;
}
