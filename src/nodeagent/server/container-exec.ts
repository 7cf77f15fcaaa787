// /exec/{namespace}/{pod}/{container}: runs a command in the container's current run over
// Kubernetes' WebSocket remotecommand protocol (v5 or v4.channel.k8s.io), on a Docker exec.
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

function parseExecRequest(q: URLSearchParams): ExecRequest {
  const flag = (name: string) => q.get(name) === 'true' || q.get(name) === '1';
  const r = { command: q.getAll('command'), stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  if (r.command.length === 0) throw new ApiError('BadRequest', 'you must specify at least one command for the container');
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

  async serve(req: IncomingMessage, socket: Duplex, head: Buffer, ref: ContainerRef, query: URLSearchParams): Promise<void> {
    const request = parseExecRequest(query);
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
    const execId = await this.docker.createExec(run.Id, {
      Cmd: request.command,
      AttachStdin: request.stdin,
      AttachStdout: request.stdout,
      AttachStderr: request.stderr,
      Tty: request.tty,
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.session(ws, execId, request).catch((err) => {
        this.log(`exec in ${ref.namespace}/${ref.pod}/${ref.container} failed: ${(err as Error)?.message ?? err}`);
        ws.send(encodeFrame(Channel.error, JSON.stringify(failureStatus(`error executing command in container: ${(err as Error)?.message ?? err}`))));
        ws.close(1000);
      });
    });
  }

  private async session(ws: WebSocket, execId: string, request: ExecRequest): Promise<void> {
    const stdin = request.stdin ? new PassThrough() : undefined;
    let started = false;
    let pendingSize: TerminalSize | undefined;
    const resize = (size: TerminalSize) => {
      if (!request.tty) return;
      if (!started) pendingSize = size;
      // A resize racing the process's end is of no consequence.
      else this.docker.resizeExec(execId, size).catch(() => {});
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
    output = await this.docker.startExec(execId, { tty: request.tty, stdin });
    if (clientGone) return output.close();
    started = true;
    if (pendingSize) resize(pendingSize);
    for await (const frame of output) {
      if (ws.readyState !== ws.OPEN) break;
      if (frame.stream === 'stdout' && request.stdout) ws.send(encodeFrame(Channel.stdout, frame.data));
      if (frame.stream === 'stderr' && request.stderr) ws.send(encodeFrame(Channel.stderr, frame.data));
    }
    if (ws.readyState !== ws.OPEN) return;
    const exitCode = await this.docker.execExitCode(execId);
    ws.send(encodeFrame(Channel.error, JSON.stringify(exitStatus(exitCode, request.command))));
    ws.close(1000);
  }
}
