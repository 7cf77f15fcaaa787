// Pure: the DNS wire format (RFC 1035, SRV of RFC 2782, AAAA of RFC 3596, the OPT pseudo-record of
// RFC 6891), only as much as a cluster DNS server needs: it answers A, AAAA, CNAME, SRV, PTR, SOA
// and NS, and hands everything else to an upstream as bytes. Names are written compressed.

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const CLASS_IN = 1;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** Without EDNS a UDP answer may not be longer (RFC 1035 4.2.1). */
export const UDP_MAX_PLAIN = 512;

export interface Question {
  /** Without the root's trailing dot; as asked (case kept, RFC 4343). */
  name: string;
  type: number;
  class: number;
}

export interface Srv {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** A, AAAA: `address`; CNAME, NS, PTR: `target`; SRV, SOA: their fields; anything else: the raw bytes. */
export type RData = { address: string } | { target: string } | Srv | Soa | { raw: Buffer };

export interface ResourceRecord {
  name: string;
  type: number;
  /** For OPT: the sender's UDP payload size. */
  class: number;
  ttl: number;
  data: RData;
}

export interface DnsMessage {
  id: number;
  /** A response (true) or a query. */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

export class DnsFormatError extends Error {}

const MAX_NAME = 255;

// ---- decoding ----

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DnsFormatError('message too short');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A name, following compression pointers (only backwards, so a loop cannot be made). */
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    let length = 0;
    for (;;) {
      if (pos >= this.buf.length) throw new DnsFormatError('name runs past the message');
      const len = this.buf[pos];
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new DnsFormatError('name runs past the message');
        const target = ((len & 0x3f) << 8) | this.buf[pos + 1];
        if (target >= pos) throw new DnsFormatError('compression pointer does not point backwards');
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (len & 0xc0) throw new DnsFormatError('unknown label type');
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if (pos + 1 + len > this.buf.length) throw new DnsFormatError('label runs past the message');
      length += len + 1;
      if (length > MAX_NAME) throw new DnsFormatError('name longer than 255 octets');
      labels.push(this.buf.toString('latin1', pos + 1, pos + 1 + len));
      pos += 1 + len;
    }
    return labels.join('.');
  }
}

function ipv4(b: Buffer): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

function ipv6(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}

function readRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const type = r.u16();
  const klass = r.u16();
  const ttl = r.u32();
  const length = r.u16();
  r.need(length);
  const end = r.pos + length;
  let data: RData;
  switch (type) {
    case TYPE.A:
      if (length !== 4) throw new DnsFormatError('A record of the wrong length');
      data = { address: ipv4(r.bytes(4)) };
      break;
    case TYPE.AAAA:
      if (length !== 16) throw new DnsFormatError('AAAA record of the wrong length');
      data = { address: ipv6(r.bytes(16)) };
      break;
    case TYPE.CNAME:
    case TYPE.NS:
    case TYPE.PTR:
      data = { target: r.name() };
      break;
    case TYPE.SRV:
      data = { priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
      break;
    case TYPE.SOA:
      data = { mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
      break;
    default:
      data = { raw: Buffer.from(r.bytes(length)) };
  }
  if (r.pos !== end) throw new DnsFormatError('record data of the wrong length');
  return { name, type, class: klass, ttl, data };
}

export function decodeMessage(buf: Buffer): DnsMessage {
  const r = new Reader(buf);
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()];
  const questions: Question[] = [];
  for (let i = 0; i < counts[0]; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const sections: ResourceRecord[][] = [[], [], []];
  for (let s = 0; s < 3; s++) for (let i = 0; i < counts[s + 1]; i++) sections[s].push(readRecord(r));
  return {
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
    questions,
    answers: sections[0],
    authorities: sections[1],
    additionals: sections[2],
  };
}

// ---- encoding ----

class Writer {
  private buf = Buffer.alloc(512);
  pos = 0;
  /** Lower-cased name suffixes already written, by offset: what later names point to. */
  private readonly names = new Map<string, number>();

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  setU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }

  name(name: string): void {
    const labels = name === '' ? [] : name.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.names.get(suffix);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.pos < 0x4000) this.names.set(suffix, this.pos);
      const label = Buffer.from(labels[i], 'latin1');
      if (label.length === 0 || label.length > 63) throw new DnsFormatError(`invalid label in ${JSON.stringify(name)}`);
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function ipv4Bytes(address: string): Buffer {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new DnsFormatError(`invalid IPv4 address ${address}`);
  return Buffer.from(parts);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new DnsFormatError(`invalid IPv6 address ${address}`);
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

function writeRecord(w: Writer, rr: ResourceRecord): void {
  w.name(rr.name);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lengthAt = w.pos;
  w.u16(0);
  const start = w.pos;
  const d = rr.data as Partial<Srv & Soa & { address: string; target: string; raw: Buffer }>;
  if (d.raw) w.bytes(d.raw);
  else if (rr.type === TYPE.A) w.bytes(ipv4Bytes(d.address!));
  else if (rr.type === TYPE.AAAA) w.bytes(ipv6Bytes(d.address!));
  else if (rr.type === TYPE.SRV) {
    w.u16(d.priority!);
    w.u16(d.weight!);
    w.u16(d.port!);
    // RFC 2782: the target is not compressed.
    for (const label of d.target ? d.target.split('.') : []) {
      const b = Buffer.from(label, 'latin1');
      w.u8(b.length);
      w.bytes(b);
    }
    w.u8(0);
  } else if (rr.type === TYPE.SOA) {
    w.name(d.mname!);
    w.name(d.rname!);
    for (const v of [d.serial!, d.refresh!, d.retry!, d.expire!, d.minimum!]) w.u32(v);
  } else if (d.target !== undefined) w.name(d.target);
  else throw new DnsFormatError(`no data for a record of type ${rr.type}`);
  w.setU16(lengthAt, w.pos - start);
}

export function encodeMessage(m: DnsMessage): Buffer {
  const w = new Writer();
  w.u16(m.id);
  w.u16(
    (m.qr ? 0x8000 : 0) | ((m.opcode & 0xf) << 11) | (m.aa ? 0x0400 : 0) | (m.tc ? 0x0200 : 0) | (m.rd ? 0x0100 : 0) | (m.ra ? 0x0080 : 0) | (m.rcode & 0xf),
  );
  for (const n of [m.questions.length, m.answers.length, m.authorities.length, m.additionals.length]) w.u16(n);
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const rr of [...m.answers, ...m.authorities, ...m.additionals]) writeRecord(w, rr);
  return w.done();
}

/** The largest UDP answer the querier takes: its EDNS payload size, else 512. */
export function udpPayloadLimit(query: DnsMessage): number {
  const opt = query.additionals.find((rr) => rr.type === TYPE.OPT);
  return opt ? Math.max(UDP_MAX_PLAIN, opt.class) : UDP_MAX_PLAIN;
}

/**
 * The answer as sent over UDP: when it does not fit, only the header and question with TC set
 * (and the OPT record), so the client asks again over TCP.
 */
export function encodeForUdp(m: DnsMessage, limit: number): Buffer {
  const full = encodeMessage(m);
  if (full.length <= limit) return full;
  return encodeMessage({ ...m, tc: true, answers: [], authorities: [], additionals: m.additionals.filter((rr) => rr.type === TYPE.OPT) });
}
