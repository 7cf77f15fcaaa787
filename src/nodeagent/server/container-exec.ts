// /exec/{namespace}/{pod}/{container}: runs a command in the container's current run over
// Kubernetes' WebSocket remotecommand protocol (v5 or v4.channel.k8s.io), on a Docker exec.
// /attach/{namespace}/{pod}/{container}: the same protocol on the container's own streams (its
// main process's output from now on, its stdin when the container has one), through Docker attach.
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../api/errors.js';
import { Channel, decodeFrame, decodeResize, encodeFrame, exitStatus, failureStatus, pickSubprotocol, type TerminalSize } from '../../api/remotecommand.js';
import type { DockerClient, DockerStream } from '../docker/docker-client.js';
import type { OutputFrame } from '../docker/output-stream.js';
import { findRun, type ContainerRef, type NodeScope } from './pod-containers.js';

interface ExecRequest {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function parseExecRequest(q: URLSearchParams, attach: boolean): ExecRequest {
  const flag = (name: string) => q.get(name) === 'true' || q.get(name) === '1';
  const r = { command: q.getAll('command'), stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  if (!attach && r.command.length === 0) throw new ApiError('BadRequest', 'you must specify at least one command for the container');
  if (!r.stdin && !r.stdout && !r.stderr) throw new ApiError('BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  // A terminal merges stderr into stdout, as the kubelet does.
  if (r.tty) r.stderr = false;
  return r;
}

export class ExecServer {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => pickSubprotocol(offered) ?? false });

  constructor(
    private readonly docker: DockerClient,
    private readonly scope: NodeScope,
    private readonly log: (msg: string) => void,
  ) {}

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  async serve(req: IncomingMessage, socket: Duplex, head: Buffer, ref: ContainerRef, query: URLSearchParams, attach = false): Promise<void> {
    const request = parseExecRequest(query, attach);
    const run = await findRun(this.docker, this.scope, ref, false);
    if (!run || run.State !== 'running') throw new ApiError('InternalError', `container not found ("${ref.container}")`);
    // Checked after the container, so that a client retrying with SPDY (kubectl does when a
    // WebSocket upgrade fails) hears the same reason the first time.
    const upgrade = req.headers.upgrade ?? '';
    if (upgrade.toLowerCase() !== 'websocket') {
      throw new ApiError('BadRequest', `unable to upgrade to ${upgrade}: only WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) is supported`);
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!pickSubprotocol(offered)) {
      throw new ApiError('BadRequest', 'unable to upgrade: none of the offered subprotocols is supported (v5.channel.k8s.io, v4.channel.k8s.io)');
    }
    const verb = attach ? 'attaching to' : 'executing command in';
    const session = attach ? this.attachSession(run.Id, request) : this.execSession(await this.execOf(run.Id, request), request);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      session(ws).catch((err) => {
        this.log(`${attach ? 'attach to' : 'exec in'} ${ref.namespace}/${ref.pod}/${ref.container} failed: ${(err as Error)?.message ?? err}`);
        ws.send(encodeFrame(Channel.error, JSON.stringify(failureStatus(`error ${verb} container: ${(err as Error)?.message ?? err}`))));
        ws.close(1000);
      });
    });
  }

  private execOf(containerId: string, request: ExecRequest): Promise<string> {
    return this.docker.createExec(containerId, {
      Cmd: request.command,
      AttachStdin: request.stdin,
      AttachStdout: request.stdout,
      AttachStderr: request.stderr,
      Tty: request.tty,
    });
  }

  private attachSession(containerId: string, request: ExecRequest): (ws: WebSocket) => Promise<void> {
    return (ws) =>
      relayStreams(ws, request, {
        start: (stdin) => this.docker.attachContainer(containerId, { tty: request.tty, stdout: request.stdout, stderr: request.stderr, stdin }),
        resize: (size) => this.docker.resizeContainer(containerId, size),
        // The stream ends with the container's process, or when the client leaves: nothing failed.
        finish: async () => exitStatus(0, []),
      });
  }

  private execSession(execId: string, request: ExecRequest): (ws: WebSocket) => Promise<void> {
    return (ws) => relayStreams(ws, request, {
      start: (stdin) => this.docker.startExec(execId, { tty: request.tty, stdin }),
      resize: (size) => this.docker.resizeExec(execId, size),
      finish: async () => exitStatus(await this.docker.execExitCode(execId), request.command),
    });
  }
}

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * One remotecommand session over a Docker stream (an exec's or an attached container's): stdin
 * and resizes from the client's frames, the output to it, then the Status `finish` gives on the
 * error channel when the stream ends.
 */
export async function relayStreams(
  ws: WebSocket,
  request: StreamFlags,
  engine: {
    start(stdin: PassThrough | undefined): Promise<DockerStream<OutputFrame>>;
    resize(size: TerminalSize): Promise<void>;
    finish(): Promise<object>;
  },
): Promise<void> {
  const stdin = request.stdin ? new PassThrough() : undefined;
  let started = false;
  let pendingSize: TerminalSize | undefined;
  const resize = (size: TerminalSize) => {
    if (!request.tty) return;
    if (!started) pendingSize = size;
    // A resize racing the process's end is of no consequence.
    else engine.resize(size).catch(() => {});
  };
  ws.on('message', (message: Buffer, isBinary: boolean) => {
    const frame = isBinary ? decodeFrame(message) : undefined;
    if (!frame) return;
    if (frame.channel === Channel.stdin) stdin?.write(frame.data);
    else if (frame.channel === Channel.resize) {
      const size = decodeResize(frame.data);
      if (size) resize(size);
    } else if (frame.channel === Channel.close && frame.data[0] === Channel.stdin) stdin?.end();
  });
  let output: DockerStream<OutputFrame> | undefined;
  let clientGone = false;
  ws.on('close', () => {
    clientGone = true;
    stdin?.end();
    output?.close();
  });
  output = await engine.start(stdin);
  if (clientGone) return output.close();
  started = true;
  if (pendingSize) resize(pendingSize);
  for await (const frame of output) {
    if (ws.readyState !== ws.OPEN) break;
    if (frame.stream === 'stdout' && request.stdout) ws.send(encodeFrame(Channel.stdout, frame.data));
    if (frame.stream === 'stderr' && request.stderr) ws.send(encodeFrame(Channel.stderr, frame.data));
  }
  if (ws.readyState !== ws.OPEN) return;
  ws.send(encodeFrame(Channel.error, JSON.stringify(await engine.finish())));
  ws.close(1000);
}
