// Tar archives (POSIX ustar) built in memory: the rootfs an image is imported from and the context
// an image is built from. Entries belong to root and carry a fixed date, so the same files always
// give the same bytes, hence the same image layer.

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
