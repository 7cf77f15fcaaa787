// Tar archives (POSIX ustar) built in memory: the rootfs an image is imported from and the context
// an image is built from (the node agent), and what kctl cp feeds to `tar -xmf -` in a container.
// Entries belong to root and carry a fixed date, so the same files always give the same bytes,
// hence the same image layer. readTar reads what `tar cf -` writes in a container (ustar, GNU
// long names, pax headers), for kctl cp.

export type TarEntry =
  | { type: 'file'; path: string; content: Buffer | string; mode?: number }
  | { type: 'directory'; path: string; mode?: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;
const TYPE_FLAGS = { file: '0', symlink: '2', directory: '5' } as const;
const DEFAULT_MODES = { file: 0o644, symlink: 0o777, directory: 0o755 } as const;
const NAME_LENGTH = 100;
const PREFIX_LENGTH = 155;

export function createTar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === 'file' ? Buffer.from(entry.content) : Buffer.alloc(0);
    blocks.push(header(entry, content.length));
    if (content.length > 0) {
      blocks.push(content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
    }
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const path = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const { prefix, name } = splitPath(path);
  const mode = entry.type === 'symlink' ? DEFAULT_MODES.symlink : (entry.mode ?? DEFAULT_MODES[entry.type]);
  writeString(block, 0, NAME_LENGTH, name);
  writeOctal(block, 100, 8, mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 0); // mtime
  block.fill(' ', 148, 156); // the checksum is computed with its own field as spaces
  block.write(TYPE_FLAGS[entry.type], 156, 'ascii');
  if (entry.type === 'symlink') writeString(block, 157, NAME_LENGTH, entry.target);
  block.write('ustar\u000000', 257, 'ascii');
  writeString(block, 265, 32, 'root');
  writeString(block, 297, 32, 'root');
  writeString(block, 345, PREFIX_LENGTH, prefix);
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return block;
}

/** ustar keeps a long path as a prefix (up to 155 bytes) and a name (up to 100), cut at a slash. */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= NAME_LENGTH) return { prefix: '', name: path };
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
    const prefix = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= PREFIX_LENGTH && Buffer.byteLength(name) <= NAME_LENGTH && name) return { prefix, name };
  }
  throw new Error(`path too long for a tar archive: ${path}`);
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  if (Buffer.byteLength(value) > length) throw new Error(`too long for a tar header field of ${length} bytes: ${value}`);
  block.write(value, offset, length, 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`${value} does not fit a tar header field of ${length} bytes`);
  block.write(`${digits.padStart(length - 1, '0')}\u0000`, offset, 'ascii');
}

/** An entry read back; `other` for kinds cp does not copy (devices, FIFOs, hard links). */
export type ReadEntry = TarEntry | { type: 'other'; path: string };

function field(h: Buffer, offset: number, length: number): string {
  const raw = h.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function readNumber(h: Buffer, offset: number, length: number): number {
  // GNU's base-256 form for values octal cannot hold.
  if (h[offset] & 0x80) {
    let v = 0;
    for (let i = offset + 1; i < offset + length; i++) v = v * 256 + h[i];
    return v;
  }
  return Number.parseInt(field(h, offset, length).trim() || '0', 8);
}

/** pax extended header records: `LEN key=value\n`. */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = data;
  while (rest.length) {
    const space = rest.indexOf(0x20);
    const len = Number.parseInt(rest.subarray(0, space).toString('ascii'), 10);
    if (!(len > 0)) break;
    const record = rest.subarray(space + 1, len - 1).toString('utf8');
    const eq = record.indexOf('=');
    out[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(len);
  }
  return out;
}

export function readTar(archive: Buffer): ReadEntry[] {
  const entries: ReadEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  while (offset + BLOCK <= archive.length) {
    const h = archive.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = readNumber(h, 124, 12);
    const flag = String.fromCharCode(h[156] || 0x30);
    const data = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'L') longName = field(data, 0, data.length);
    else if (flag === 'K') longLink = field(data, 0, data.length);
    else if (flag === 'x') pax = paxRecords(data);
    else if (flag !== 'g') {
      const prefix = h.subarray(257, 262).toString('latin1') === 'ustar' ? field(h, 345, PREFIX_LENGTH) : '';
      const path = pax.path ?? longName ?? (prefix ? `${prefix}/${field(h, 0, NAME_LENGTH)}` : field(h, 0, NAME_LENGTH));
      const mode = readNumber(h, 100, 8);
      if (flag === '0' || flag === '7') entries.push({ type: 'file', path, content: Buffer.from(data), mode });
      else if (flag === '5') entries.push({ type: 'directory', path, mode });
      else if (flag === '2') entries.push({ type: 'symlink', path, target: pax.linkpath ?? longLink ?? field(h, 157, NAME_LENGTH) });
      else entries.push({ type: 'other', path });
      longName = longLink = undefined;
      pax = {};
    }
  }
  return entries;
}
