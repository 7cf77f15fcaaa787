// The exec probe: the command runs in the container through Docker's exec; exit code 0 is a
// success, anything else a failure whose output (stdout then stderr, as the kubelet's
// CombinedOutput) the event quotes. A command still running at the timeout fails the probe,
// with the kubelet's text for it; the command itself is left to end on its own, as the kubelet does.
import type { DockerClient, DockerStream } from '../../docker/docker-client.js';
import { collectOutput, type OutputFrame } from '../../docker/output-stream.js';
import { failure, success, type ProbeOutcome } from './probe-outcome.js';

/** The kubelet keeps at most this much of an exec probe's output. */
const MAX_OUTPUT_BYTES = 10 * 1024;
const EXIT_POLL_MAX_MS = 100;

/** Go's %q of the command line, as the kubelet's timeout error quotes it. */
export function execTimeoutText(command: string[]): string {
  return `command ${JSON.stringify(command.join(' '))} timed out`;
}

export async function execProbe(docker: DockerClient, containerId: string, command: string[], timeoutMs: number): Promise<ProbeOutcome> {
  const deadline = Date.now() + timeoutMs;
  const execId = await docker.createExec(containerId, { Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await docker.startExec(execId);
  const output = await withDeadline(collectOutput(stream), deadline, stream);
  const exitCode = output && (await exitCodeBy(docker, execId, deadline));
  if (!output || exitCode === undefined) return failure(execTimeoutText(command));
  const combined = Buffer.from(output.stdout + output.stderr).subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
  return exitCode === 0 ? success(combined) : failure(combined);
}

/** The promise's value, or undefined once the deadline passed (the stream then closes). */
async function withDeadline<T>(work: Promise<T>, deadline: number, stream: DockerStream<OutputFrame>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      stream.close();
      resolve(undefined);
    }, Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

// The engine records the exit code a moment after the output ends; a process that closed its
// output but still runs is a timeout like any other.
async function exitCodeBy(docker: DockerClient, execId: string, deadline: number): Promise<number | undefined> {
  for (let delayMs = 5; ; delayMs = Math.min(delayMs * 2, EXIT_POLL_MAX_MS)) {
    const inspect = await docker.inspectExec(execId);
    if (!inspect.Running && inspect.ExitCode !== null) return inspect.ExitCode;
    if (Date.now() + delayMs > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
