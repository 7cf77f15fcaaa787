// Where a command reads and writes, as kubectl's genericiooptions.IOStreams: the process's own
// streams when kctl runs, buffers when a test runs a command in process (test/helpers/cli-streams.ts).

/** Standard input: a terminal (exec -t, attach) can be switched to raw mode. */
export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  /** Stops reading for good: an open pipe must not keep kctl alive after a session. */
  destroy(): unknown;
}

/** Standard output or error: a terminal has a width, and colours are used only on one. */
export interface OutStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface IOStreams {
  in: InStream;
  out: OutStream;
  errOut: OutStream;
}

/**
 * The process's stdin, stdout and stderr. Read lazily: Node makes process.stdin on first use, and
 * making it (a socket or a terminal handle) costs start-up time a command without input would pay.
 */
export function processStreams(): IOStreams {
  return {
    get in() {
      return process.stdin;
    },
    get out() {
      return process.stdout;
    },
    get errOut() {
      return process.stderr;
    },
  };
}

/** Everything a stream gives until it ends (`-f -` reads standard input whole), as UTF-8 text. */
export async function readAll(stream: InStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
