// Header block compression of one SPDY connection: each direction is a single zlib stream primed
// with the SPDY/3 dictionary, and every header block is one sync flush of it, so a block can only
// be read after all earlier ones of the same direction. Node's zlib works asynchronously; calls are
// queued so blocks go through the streams in the order they were given.
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from './header-block.js';

/** Passes a chunk through a zlib stream and returns what one sync flush gives out. */
class FlushedStream {
  private queue: Promise<unknown> = Promise.resolve();
  private output: Buffer[] = [];
  private failure?: Error;
  /** A broken stream never calls the flush back: its error ends the block being processed. */
  private rejectPending?: (err: Error) => void;

  constructor(private readonly stream: zlib.Deflate | zlib.Inflate) {
    stream.on('data', (chunk: Buffer) => this.output.push(chunk));
    stream.on('error', (err) => {
      this.failure = err;
      this.rejectPending?.(err);
    });
  }

  process(input: Buffer): Promise<Buffer> {
    const run = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          this.rejectPending = reject;
          this.stream.write(input);
          this.stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            if (this.failure) return reject(this.failure);
            const out = Buffer.concat(this.output);
            this.output = [];
            resolve(out);
          });
        }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.stream.close();
  }
}

export class HeaderCompression {
  private readonly deflater = new FlushedStream(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));
  private readonly inflater = new FlushedStream(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));

  /** The compressed header block of an outgoing frame. */
  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.deflater.process(encodeHeaderBlock(headers));
  }

  /** The headers of an incoming frame's compressed block. */
  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.inflater.process(block));
  }

  close(): void {
    this.deflater.close();
    this.inflater.close();
  }
}
