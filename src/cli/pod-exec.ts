// A command run in a container through pods/exec for a CLI command's own use (kubectl cp): stdin
// from a buffer (closed after it, v5 protocol), stdout collected, stderr passed through.
import type { HttpClient } from '../api/http-client.js';
import { resourcePath } from '../api/http-client.js';
import { findByKind } from '../api/resources.js';
import { Channel, EXEC_SUBPROTOCOLS, decodeFrame, encodeFrame, execOutcome, type ExecOutcome } from '../api/remotecommand.js';
import { CliError } from './errors.js';

const PODS = findByKind('Pod')!;

export interface ExecResult {
  stdout: Buffer;
  outcome: ExecOutcome;
}

export async function execInPod(
  client: HttpClient,
  namespace: string,
  pod: string,
  container: string,
  command: string[],
  opts: { stdin?: Buffer; stderr: (chunk: Buffer) => void },
): Promise<ExecResult> {
  const q = new URLSearchParams();
  for (const word of command) q.append('command', word);
  q.set('container', container);
  if (opts.stdin) q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('stderr', 'true');
  const ws = await client.webSocket(`${resourcePath(PODS, namespace, pod, 'exec')}?${q}`, EXEC_SUBPROTOCOLS);
  if (opts.stdin && ws.protocol !== 'v5.channel.k8s.io') {
    ws.close();
    throw new CliError('the server does not speak v5.channel.k8s.io, which copying into a container needs to close its input');
  }
  const stdout: Buffer[] = [];
  let status = '';
  const done = new Promise<ExecResult>((resolve, reject) => {
    ws.on('message', (message: Buffer) => {
      const frame = decodeFrame(message);
      if (!frame) return;
      if (frame.channel === Channel.stdout) stdout.push(frame.data);
      else if (frame.channel === Channel.stderr) opts.stderr(frame.data);
      else if (frame.channel === Channel.error) status += frame.data.toString('utf8');
    });
    ws.on('error', (err) => reject(new CliError(`the exec connection failed: ${err.message}`)));
    ws.on('close', () => resolve({ stdout: Buffer.concat(stdout), outcome: execOutcome(status) }));
  });
  if (opts.stdin) {
    // Frames of at most 32 KiB, then the close of stdin so the command sees its end.
    for (let i = 0; i < opts.stdin.length; i += 32 * 1024) ws.send(encodeFrame(Channel.stdin, opts.stdin.subarray(i, i + 32 * 1024)));
    ws.send(encodeFrame(Channel.close, Buffer.from([Channel.stdin])));
  }
  return done;
}
