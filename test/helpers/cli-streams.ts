// Runs a kctl command in this process with buffers for its streams (kubectl's IOStreams), so a
// unit test reads what it printed to stdout and stderr and its exit code without spawning kctl.
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** A stream that keeps what is written to it, like a pipe (not a terminal). */
export class TextSink extends Writable {
  text = '';
  readonly isTTY = false;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `kctl ARGV` with INPUT on its stdin; the process's exit code is left as it was. */
export async function runKctl(argv: string[], input = ''): Promise<CliRun> {
  const out = new TextSink();
  const errOut = new TextSink();
  const stdin = new PassThrough();
  stdin.end(input);
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(argv, { in: stdin, out, errOut });
    return { code, out: out.text, err: errOut.text };
  } finally {
    process.exitCode = saved;
  }
}
