// A container's output as the engine sends it for logs, attach and exec. Without a TTY the engine
// multiplexes stdout and stderr on one stream: each frame is an 8-byte header (stream id, three
// zero bytes, the payload's length as a big-endian uint32) and the payload. With a TTY the stream
// is the terminal's raw bytes, all of it stdout.

export type OutputStreamName = 'stdout' | 'stderr';

export interface OutputFrame {
  stream: OutputStreamName;
  data: Buffer;
}

const HEADER_LENGTH = 8;

// Stream ids of Docker's stdcopy. Stdin is echoed on stdout; the system-error stream carries an
// error of the engine itself, ending the stream.
const STREAM_BY_ID: Record<number, OutputStreamName | 'error'> = { 0: 'stdout', 1: 'stdout', 2: 'stderr', 3: 'error' };

/** Frames out of a multiplexed stream that arrives in chunks cut anywhere, headers included. */
export class MultiplexedStreamDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private frame: { stream: OutputStreamName | 'error'; length: number } | undefined;

  /** The frames this chunk completes, in order. */
  push(chunk: Uint8Array): OutputFrame[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.byteLength;
    const frames: OutputFrame[] = [];
    for (;;) {
      if (!this.frame) {
        if (this.buffered < HEADER_LENGTH) break;
        this.frame = parseHeader(this.take(HEADER_LENGTH));
      }
      if (this.buffered < this.frame.length) break;
      const { stream, length } = this.frame;
      this.frame = undefined;
      const data = this.take(length);
      if (stream === 'error') throw new Error(`the Docker engine failed the stream: ${data.toString('utf8').trim()}`);
      if (length > 0) frames.push({ stream, data });
    }
    return frames;
  }

  /** At the stream's end: a frame cut short means the connection was lost. */
  end(): void {
    if (this.frame || this.buffered > 0) {
      throw new Error(`the Docker output stream ended inside a frame (${this.buffered} bytes of it received)`);
    }
  }

  private take(length: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const taken = joined.subarray(0, length);
    const rest = joined.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}

function parseHeader(header: Buffer): { stream: OutputStreamName | 'error'; length: number } {
  const stream = STREAM_BY_ID[header[0]];
  if (!stream || header[1] !== 0 || header[2] !== 0 || header[3] !== 0) {
    throw new Error(`not a multiplexed Docker stream (header ${header.toString('hex')}); was the container created with a TTY?`);
  }
  return { stream, length: header.readUInt32BE(4) };
}

export async function* demultiplex(source: AsyncIterable<Uint8Array>): AsyncGenerator<OutputFrame> {
  const decoder = new MultiplexedStreamDecoder();
  for await (const chunk of source) yield* decoder.push(chunk);
  decoder.end();
}

/** A TTY's stream: one stdout frame per chunk. */
export async function* ttyOutput(source: AsyncIterable<Uint8Array>): AsyncGenerator<OutputFrame> {
  for await (const chunk of source) yield { stream: 'stdout', data: Buffer.from(chunk) };
}

export interface CollectedOutput {
  stdout: string;
  stderr: string;
}

/** The whole output of a process that ends (an exec, the logs of an exited container), as UTF-8. */
export async function collectOutput(frames: AsyncIterable<OutputFrame>): Promise<CollectedOutput> {
  const parts: Record<OutputStreamName, Buffer[]> = { stdout: [], stderr: [] };
  for await (const frame of frames) parts[frame.stream].push(frame.data);
  return { stdout: Buffer.concat(parts.stdout).toString('utf8'), stderr: Buffer.concat(parts.stderr).toString('utf8') };
}
