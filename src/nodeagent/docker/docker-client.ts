// A thin typed client of the Docker Engine API (v1.41, Debian's docker.io 20.10) over its unix
// socket. Each method is one engine endpoint, with the engine's own field names; streams (logs,
// exec output, events) are async iterables that open before the method returns, so nothing the
// engine emits after the call is missed.
import { Readable, pipeline, type Duplex } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { dockerSocketPath } from './engine-socket.js';
import { DockerError, DockerUnavailableError } from './errors.js';
import { jsonLines } from './json-lines.js';
import { collectOutput, demultiplex, ttyOutput, type CollectedOutput, type OutputFrame } from './output-stream.js';
import type {
  ContainerCreateConfig,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerWaitResult,
  DockerEvent,
  DockerFilters,
  DockerInfo,
  DockerVersion,
  EndpointSettings,
  ExecConfig,
  ExecInspect,
  ImageDeleteItem,
  ImageInspect,
  ImageSummary,
  NetworkCreateConfig,
  NetworkInspect,
  VolumeCreateConfig,
  VolumeInspect,
  WaitCondition,
} from './types.js';

export { DEFAULT_DOCKER_SOCKET, dockerSocketPath } from './engine-socket.js';
export const DOCKER_API_VERSION = '1.41';

// Any host will do over a unix socket; the engine ignores it.
const ORIGIN = 'http://docker';
// Engine errors a caller can do nothing about but start the engine.
const UNAVAILABLE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES']);

export interface DockerClientOptions {
  /** Default: the path of `DOCKER_HOST=unix://…`, else /var/run/docker.sock. */
  socketPath?: string;
  /** Default: 1.41. */
  apiVersion?: string;
}

/** The exit code of a `die` event (the engine sends it as a string). */
export function eventExitCode(event: DockerEvent): number | undefined {
  const code = event.Actor.Attributes.exitCode;
  return code === undefined ? undefined : Number(code);
}

/** Engine output that arrives until the process ends or the stream is closed. */
export interface DockerStream<T> extends AsyncIterable<T> {
  /** Ends the stream from outside its loop: the loop then ends without an error. */
  close(): void;
}

/** A point in time for `since`/`until`: a Date or seconds since the epoch. */
export type Timestamp = Date | number;

export interface LogsOptions {
  follow?: boolean;
  /** The last N lines only. Default: all. */
  tail?: number;
  since?: Timestamp;
  until?: Timestamp;
  /** Prefix each line with its RFC 3339 (nanoseconds) timestamp and a space. */
  timestamps?: boolean;
  /** Default true. */
  stdout?: boolean;
  /** Default true. */
  stderr?: boolean;
  /** Whether the container has a TTY (its output is then not multiplexed). Default: inspected. */
  tty?: boolean;
}

export interface ImageBuildOptions {
  /** `name:tag` */
  tag: string;
  /** Path of the Dockerfile inside the context. Default: Dockerfile. */
  dockerfile?: string;
  labels?: Record<string, string>;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  /** The network RUN steps use: `host` reaches what this computer reaches (a package mirror). */
  networkMode?: string;
}

export interface ImageBuildResult {
  /** `sha256:…` */
  id: string;
  /** The build's log, as `docker build` prints it. */
  output: string;
}

export interface ImageImportOptions {
  repository: string;
  tag: string;
  /** Dockerfile instructions applied to the image's config: `CMD ["sh"]`, `ENV PATH=…`, `LABEL k=v`. */
  changes?: string[];
}

export interface ExecResult extends CollectedOutput {
  exitCode: number;
}

interface ProgressMessage {
  stream?: string;
  status?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string };
}

type QueryValue = string | number | boolean | string[] | undefined;

/** Credentials for one registry, as the engine takes them (X-Registry-Auth). */
export interface RegistryAuth {
  username: string;
  password: string;
  /** The registry's host[:port]. */
  serveraddress: string;
  email?: string;
}

interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as X-Registry-Auth. */
  auth?: RegistryAuth;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is: a tar archive. */
  tar?: Buffer | Readable;
  /** Statuses other than 2xx that are not errors: 304 (already started, already stopped). */
  accept?: number[];
  /** For answers that take as long as they take (waits, stops, builds, followed streams). */
  unbounded?: boolean;
  signal?: AbortSignal;
}

export class DockerClient {
  readonly socketPath: string;
  private readonly prefix: string;
  private readonly agent: Agent;

  constructor(opts: DockerClientOptions = {}) {
    this.socketPath = opts.socketPath ?? dockerSocketPath();
    this.prefix = `/v${opts.apiVersion ?? DOCKER_API_VERSION}`;
    this.agent = new Agent({ connect: { socketPath: this.socketPath } });
  }

  /** Closes every connection, open streams included. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  // ---- the engine ----

  ping(signal?: AbortSignal): Promise<void> {
    return this.call('GET', '/_ping', { signal });
  }

  version(): Promise<DockerVersion> {
    return this.json('GET', '/version');
  }

  info(): Promise<DockerInfo> {
    return this.json('GET', '/info');
  }

  // ---- images ----

  inspectImage(name: string): Promise<ImageInspect> {
    return this.json('GET', `/images/${encodeName(name)}/json`);
  }

  listImages(opts: { all?: boolean; filters?: DockerFilters } = {}): Promise<ImageSummary[]> {
    return this.json('GET', '/images/json', { query: { all: opts.all, filters: filtersParam(opts.filters) } });
  }

  /** Imports a root filesystem (a tar archive) as a one-layer image; answers its ID. */
  async importImage(rootfs: Buffer | Readable, opts: ImageImportOptions): Promise<string> {
    const query = { fromSrc: '-', repo: opts.repository, tag: opts.tag, changes: opts.changes };
    const messages = await this.progress('POST', '/images/create', { query, tar: rootfs, unbounded: true });
    const id = lastOf(messages.map((m) => m.status).filter((s) => s?.startsWith('sha256:')));
    if (!id) throw new DockerError('the engine did not answer the imported image ID', 500, 'POST', '/images/create');
    return id;
  }

  /** Builds an image from a tar context with the engine's classic builder; a failed step throws. */
  async buildImage(context: Buffer | Readable, opts: ImageBuildOptions): Promise<ImageBuildResult> {
    const query = {
      t: opts.tag,
      dockerfile: opts.dockerfile,
      labels: opts.labels && JSON.stringify(opts.labels),
      buildargs: opts.buildArgs && JSON.stringify(opts.buildArgs),
      nocache: opts.noCache,
      networkmode: opts.networkMode,
      rm: true,
      forcerm: true,
    };
    const messages = await this.progress('POST', '/build', { query, tar: context, unbounded: true });
    const id = lastOf(messages.map((m) => m.aux?.ID).filter((s) => s !== undefined));
    if (!id) throw new DockerError('the engine did not answer the built image ID', 500, 'POST', '/build');
    return { id, output: messages.map((m) => m.stream ?? '').join('') };
  }

  /**
   * Pulls `image:tag` from its registry (`tag` is required: without one the engine pulls every
   * tag), with `auth` for a registry that asks for it. A failure may be an error status or a
   * message inside the 200 stream; both throw.
   */
  async pullImage(image: string, tag: string, auth?: RegistryAuth): Promise<void> {
    await this.progress('POST', '/images/create', { query: { fromImage: image, tag }, auth, unbounded: true });
  }

  /** Pushes `name:tag` (a name that starts with its registry's host) with `auth`. */
  async pushImage(name: string, tag: string, auth?: RegistryAuth): Promise<void> {
    await this.progress('POST', `/images/${encodeName(name)}/push`, { query: { tag }, auth, unbounded: true });
  }

  /** Gives the image `source` the name `repository:tag` too. */
  async tagImage(source: string, repository: string, tag: string): Promise<void> {
    await this.call('POST', `/images/${encodeName(source)}/tag`, { query: { repo: repository, tag } });
  }

  removeImage(name: string, opts: { force?: boolean; noPrune?: boolean } = {}): Promise<ImageDeleteItem[]> {
    return this.json('DELETE', `/images/${encodeName(name)}`, { query: { force: opts.force, noprune: opts.noPrune } });
  }

  // ---- containers ----

  createContainer(config: ContainerCreateConfig, opts: { name?: string } = {}): Promise<ContainerCreateResponse> {
    return this.json('POST', '/containers/create', { query: { name: opts.name }, json: config });
  }

  /** Starting a running container is not an error. */
  async startContainer(id: string): Promise<void> {
    await this.call('POST', `/containers/${encodeName(id)}/start`, { accept: [304] });
  }

  /** SIGTERM (or the image's stop signal), then SIGKILL after the timeout; a stopped container is not an error. */
  async stopContainer(id: string, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    await this.call('POST', `/containers/${encodeName(id)}/stop`, { query: { t: opts.timeoutSeconds }, accept: [304], unbounded: true });
  }

  /** A container that is not running answers 409. */
  async killContainer(id: string, signal = 'SIGKILL'): Promise<void> {
    await this.call('POST', `/containers/${encodeName(id)}/kill`, { query: { signal } });
  }

  /** `volumes` also removes the container's anonymous volumes. */
  async removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.call('DELETE', `/containers/${encodeName(id)}`, { query: { force: opts.force, v: opts.volumes } });
  }

  inspectContainer(id: string): Promise<ContainerInspect> {
    return this.json('GET', `/containers/${encodeName(id)}/json`);
  }

  /** Running containers only, unless `all`. */
  listContainers(opts: { all?: boolean; filters?: DockerFilters } = {}): Promise<ContainerSummary[]> {
    return this.json('GET', '/containers/json', { query: { all: opts.all, filters: filtersParam(opts.filters) } });
  }

  /** Until the condition holds (default `not-running`): the exit code. */
  waitContainer(id: string, opts: { condition?: WaitCondition; signal?: AbortSignal } = {}): Promise<ContainerWaitResult> {
    return this.json('POST', `/containers/${encodeName(id)}/wait`, {
      query: { condition: opts.condition },
      unbounded: true,
      signal: opts.signal,
    });
  }

  async containerLogs(id: string, opts: LogsOptions = {}): Promise<DockerStream<OutputFrame>> {
    const tty = opts.tty ?? (await this.inspectContainer(id)).Config.Tty ?? false;
    const query = {
      follow: opts.follow,
      stdout: opts.stdout ?? true,
      stderr: opts.stderr ?? true,
      since: opts.since === undefined ? undefined : unixTime(opts.since),
      until: opts.until === undefined ? undefined : unixTime(opts.until),
      timestamps: opts.timestamps,
      tail: opts.tail ?? 'all',
    };
    const res = await this.send('GET', `/containers/${encodeName(id)}/logs`, { query, unbounded: true });
    return new SourceStream(res.body, tty ? ttyOutput : demultiplex);
  }

  // ---- exec ----

  /** Answers the exec's ID. */
  async createExec(containerId: string, config: ExecConfig): Promise<string> {
    const { Id } = await this.json<{ Id: string }>('POST', `/containers/${encodeName(containerId)}/exec`, { json: config });
    return Id;
  }

  /**
   * Runs the exec on a hijacked connection: its output until the process ends. `stdin`, for an
   * exec created with AttachStdin, is copied in and closed when it ends.
   */
  async startExec(execId: string, opts: { tty?: boolean; stdin?: AsyncIterable<Uint8Array> } = {}): Promise<DockerStream<OutputFrame>> {
    const tty = opts.tty ?? false;
    const socket = await this.hijack(`/exec/${encodeName(execId)}/start`, { Detach: false, Tty: tty });
    if (opts.stdin) copyThenHalfClose(opts.stdin, socket);
    return new SourceStream(socket, tty ? ttyOutput : demultiplex);
  }

  /**
   * Attaches to a running container's own streams (its main process) on a hijacked connection:
   * its output from now on until it ends; `stdin`, for a container created with OpenStdin, is
   * copied in and closed when it ends.
   */
  async attachContainer(containerId: string, opts: { tty: boolean; stdout: boolean; stderr: boolean; stdin?: AsyncIterable<Uint8Array> }): Promise<DockerStream<OutputFrame>> {
    const flag = (b: boolean) => (b ? '1' : '0');
    const query = `stream=1&stdin=${flag(!!opts.stdin)}&stdout=${flag(opts.stdout)}&stderr=${flag(opts.stderr)}`;
    const socket = await this.hijack(`/containers/${encodeName(containerId)}/attach?${query}`, {});
    if (opts.stdin) copyThenHalfClose(opts.stdin, socket);
    return new SourceStream(socket, opts.tty ? ttyOutput : demultiplex);
  }

  /** Resizes a container's TTY. */
  async resizeContainer(containerId: string, size: { width: number; height: number }): Promise<void> {
    await this.call('POST', `/containers/${encodeName(containerId)}/resize`, { query: { h: size.height, w: size.width } });
  }

  inspectExec(execId: string): Promise<ExecInspect> {
    return this.json('GET', `/exec/${encodeName(execId)}/json`);
  }

  /** Runs a command in a running container to its end: its output and exit code. */
  async exec(containerId: string, config: Omit<ExecConfig, 'AttachStdout' | 'AttachStderr'>): Promise<ExecResult> {
    const execId = await this.createExec(containerId, { ...config, AttachStdout: true, AttachStderr: true });
    const output = await collectOutput(await this.startExec(execId, { tty: config.Tty }));
    return { ...output, exitCode: await this.execExitCode(execId) };
  }

  /**
   * An exec's exit code: waits for the process to end, and for the engine to record it, which may
   * be a moment after the output has ended.
   */
  async execExitCode(execId: string): Promise<number> {
    for (let delayMs = 5; ; delayMs = Math.min(delayMs * 2, 200)) {
      const inspect = await this.inspectExec(execId);
      if (!inspect.Running && inspect.ExitCode !== null) return inspect.ExitCode;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  /** Resizes an exec's TTY; the engine refuses it until the process has started. */
  async resizeExec(execId: string, size: { width: number; height: number }): Promise<void> {
    await this.call('POST', `/exec/${encodeName(execId)}/resize`, { query: { h: size.height, w: size.width } });
  }

  // ---- networks ----

  createNetwork(config: NetworkCreateConfig): Promise<{ Id: string; Warning: string }> {
    return this.json('POST', '/networks/create', { json: config });
  }

  inspectNetwork(idOrName: string): Promise<NetworkInspect> {
    return this.json('GET', `/networks/${encodeName(idOrName)}`);
  }

  listNetworks(opts: { filters?: DockerFilters } = {}): Promise<NetworkInspect[]> {
    return this.json('GET', '/networks', { query: { filters: filtersParam(opts.filters) } });
  }

  async removeNetwork(idOrName: string): Promise<void> {
    await this.call('DELETE', `/networks/${encodeName(idOrName)}`);
  }

  async connectNetwork(network: string, container: string, endpointConfig?: EndpointSettings): Promise<void> {
    await this.call('POST', `/networks/${encodeName(network)}/connect`, { json: { Container: container, EndpointConfig: endpointConfig } });
  }

  async disconnectNetwork(network: string, container: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.call('POST', `/networks/${encodeName(network)}/disconnect`, { json: { Container: container, Force: opts.force } });
  }

  // ---- volumes ----

  createVolume(config: VolumeCreateConfig): Promise<VolumeInspect> {
    return this.json('POST', '/volumes/create', { json: config });
  }

  inspectVolume(name: string): Promise<VolumeInspect> {
    return this.json('GET', `/volumes/${encodeName(name)}`);
  }

  async listVolumes(opts: { filters?: DockerFilters } = {}): Promise<VolumeInspect[]> {
    const { Volumes } = await this.json<{ Volumes: VolumeInspect[] | null }>('GET', '/volumes', {
      query: { filters: filtersParam(opts.filters) },
    });
    return Volumes ?? [];
  }

  async removeVolume(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.call('DELETE', `/volumes/${encodeName(name)}`, { query: { force: opts.force } });
  }

  // ---- events ----

  /**
   * The engine's events from now on (or from `since`), e.g. `{ type: ['container'], label: ['k=v'],
   * event: ['start', 'die'] }`. It ends when `until` passes, or with an error if the engine stops.
   */
  async events(opts: { filters?: DockerFilters; since?: Timestamp; until?: Timestamp } = {}): Promise<DockerStream<DockerEvent>> {
    const query = {
      filters: filtersParam(opts.filters),
      since: opts.since === undefined ? undefined : unixTime(opts.since),
      until: opts.until === undefined ? undefined : unixTime(opts.until),
    };
    const res = await this.send('GET', '/events', { query, unbounded: true });
    return new SourceStream(res.body, jsonLines<DockerEvent>);
  }

  // ---- HTTP ----

  private async send(method: Dispatcher.HttpMethod, path: string, opts: RequestOptions = {}): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = {};
    if (opts.auth) headers['x-registry-auth'] = registryAuthHeader(opts.auth);
    let body: string | Buffer | Readable | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.tar) {
      headers['content-type'] = 'application/x-tar';
      body = opts.tar;
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await this.agent.request({
        origin: ORIGIN,
        path: this.url(path, opts.query),
        method,
        headers,
        body,
        signal: opts.signal,
        ...(opts.unbounded ? { headersTimeout: 0, bodyTimeout: 0 } : {}),
      });
    } catch (err) {
      throw this.connectionError(err);
    }
    if (res.statusCode >= 300 && !opts.accept?.includes(res.statusCode)) {
      throw engineError(res.statusCode, await res.body.text(), method, path);
    }
    return res;
  }

  private async json<T>(method: Dispatcher.HttpMethod, path: string, opts?: RequestOptions): Promise<T> {
    const res = await this.send(method, path, opts);
    return (await res.body.json()) as T;
  }

  private async call(method: Dispatcher.HttpMethod, path: string, opts?: RequestOptions): Promise<void> {
    const res = await this.send(method, path, opts);
    await res.body.dump();
  }

  // Builds and imports answer 200 at once and report a failure as a message of the stream.
  private async progress(method: Dispatcher.HttpMethod, path: string, opts: RequestOptions): Promise<ProgressMessage[]> {
    const res = await this.send(method, path, opts);
    const messages: ProgressMessage[] = [];
    for await (const message of jsonLines<ProgressMessage>(res.body)) {
      if (message.error || message.errorDetail) {
        throw new DockerError((message.errorDetail?.message ?? message.error ?? 'unknown error').trim(), 500, method, path);
      }
      messages.push(message);
    }
    return messages;
  }

  // The engine answers `101 UPGRADED` and hands the connection over to the process's streams,
  // or answers an error as any other endpoint does.
  private hijack(path: string, json: unknown): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      let statusCode = 0;
      const body: Buffer[] = [];
      const options: Dispatcher.DispatchOptions = {
        origin: ORIGIN,
        path: this.url(path),
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(json),
        upgrade: 'tcp',
      };
      this.agent.dispatch(options, {
        // Its presence tells undici this handler follows the current (not the legacy) interface.
        onRequestStart: () => {},
        onRequestUpgrade: (_controller, _status, _headers, socket) => resolve(socket),
        onResponseStart: (_controller, status) => {
          statusCode = status;
        },
        onResponseData: (_controller, chunk) => {
          body.push(chunk);
        },
        onResponseEnd: () => reject(engineError(statusCode, Buffer.concat(body).toString('utf8'), 'POST', path)),
        onResponseError: (_controller, err) => reject(this.connectionError(err)),
      });
    });
  }

  private url(path: string, query: Record<string, QueryValue> = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
    }
    const search = params.toString();
    return `${this.prefix}${path}${search ? `?${search}` : ''}`;
  }

  private connectionError(err: unknown): unknown {
    const code = (err as { code?: string }).code;
    return code && UNAVAILABLE_CODES.has(code) ? new DockerUnavailableError(this.socketPath, err as Error) : err;
  }
}

/** A stream over a response body or a hijacked connection, parsed by `parse`. */
class SourceStream<T> implements DockerStream<T> {
  private closed = false;

  constructor(
    private readonly source: Readable | Duplex,
    private readonly parse: (source: AsyncIterable<Uint8Array>) => AsyncGenerator<T>,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    try {
      yield* this.parse(this.source);
    } catch (err) {
      if (!this.closed) throw err;
    } finally {
      this.source.destroy();
    }
  }

  close(): void {
    this.closed = true;
    this.source.destroy();
  }
}

// Ending the connection's write side is how the process's stdin gets closed; a process that ends
// first closes the connection, which ends the copy.
function copyThenHalfClose(stdin: AsyncIterable<Uint8Array>, socket: Duplex): void {
  pipeline(Readable.from(stdin), socket, () => {});
}

function engineError(statusCode: number, body: string, method: string, path: string): DockerError {
  let message = body.trim();
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? message;
  } catch {
    // not JSON: a plain-text answer, kept as is
  }
  return new DockerError(message || `the Docker engine answered ${statusCode}`, statusCode, method, path);
}

/** Base64url of the JSON, padded: the engine's Go decoder (base64.URLEncoding) needs the padding. */
export function registryAuthHeader(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function lastOf<T>(items: T[]): T | undefined {
  return items[items.length - 1];
}

// Image names keep their slashes (`kctl/pause:1.0`); the engine's routes expect them.
function encodeName(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

function filtersParam(filters: DockerFilters | undefined): string | undefined {
  return filters && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;
}

/** The engine's `seconds.nanoseconds` form. */
function unixTime(t: Timestamp): string {
  const ms = t instanceof Date ? t.getTime() : t * 1000;
  return (ms / 1000).toFixed(3);
}
