// The Docker Engine API (v1.41) shapes kctl sends and reads, named as the engine names them so a
// field can be looked up in Docker's API reference. Only what kctl uses is spelled out; the
// engine's answers carry more, and configs accept more (the index signatures pass it through).

/** Docker's `filters` query parameter: `{ label: ['kctl.pod-uid=…'], status: ['running'] }`. */
export type DockerFilters = Record<string, string[]>;

export interface DockerVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  GitCommit: string;
  GoVersion: string;
  [field: string]: unknown;
}

export interface DockerInfo {
  ID: string;
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  KernelVersion: string;
  NCPU: number;
  MemTotal: number;
  Driver: string;
  CgroupDriver: string;
  CgroupVersion: string;
  DockerRootDir: string;
  Containers: number;
  ContainersRunning: number;
  Images: number;
  [field: string]: unknown;
}

// ---- images ----

/** The parts of an image's config that a container inherits. */
export interface ImageConfig {
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  Labels?: Record<string, string> | null;
  ExposedPorts?: Record<string, object> | null;
  StopSignal?: string;
  [field: string]: unknown;
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: string;
  Size: number;
  Architecture: string;
  Os: string;
  Config: ImageConfig;
  [field: string]: unknown;
}

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  /** Seconds since the epoch. */
  Created: number;
  Size: number;
  Labels: Record<string, string> | null;
  Containers: number;
}

/** One line of `DELETE /images/{name}`'s answer. */
export interface ImageDeleteItem {
  Untagged?: string;
  Deleted?: string;
}

// ---- containers ----

export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

export interface Mount {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface HostConfig {
  Binds?: string[];
  Mounts?: Mount[];
  /** `bridge`, a network name, or `container:<id>` to join another container's network namespace. */
  NetworkMode?: string;
  /** `shareable` on a pod sandbox, `container:<sandbox id>` on the pod's other containers. */
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  /** Runs docker-init as PID 1, for processes that ignore SIGTERM as PID 1. */
  Init?: boolean;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  PidsLimit?: number;
  OomScoreAdj?: number;
  PortBindings?: Record<string, PortBinding[]>;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  SecurityOpt?: string[];
  GroupAdd?: string[];
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  ExtraHosts?: string[];
  ShmSize?: number;
  Tmpfs?: Record<string, string>;
  Sysctls?: Record<string, string>;
  RestartPolicy?: { Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure'; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  LogConfig?: { Type: string; Config?: Record<string, string> };
  [field: string]: unknown;
}

export interface EndpointSettings {
  Aliases?: string[] | null;
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  MacAddress?: string;
  [field: string]: unknown;
}

/** The body of `POST /containers/create`: the container's config with its HostConfig beside it. */
export interface ContainerCreateConfig {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  Domainname?: string;
  Labels?: Record<string, string>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object>;
  StopSignal?: string;
  StopTimeout?: number;
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointSettings> };
  [field: string]: unknown;
}

export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[] | null;
}

export interface ContainerState {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  /** RFC 3339 with nanoseconds; `0001-01-01T00:00:00Z` when it never happened. */
  StartedAt: string;
  FinishedAt: string;
  [field: string]: unknown;
}

export interface ContainerInspect {
  Id: string;
  /** With a leading `/`. */
  Name: string;
  Created: string;
  /** The image's ID (`sha256:…`); the name it was created from is `Config.Image`. */
  Image: string;
  RestartCount: number;
  State: ContainerState;
  Config: ContainerCreateConfig & { Labels: Record<string, string> | null };
  HostConfig: HostConfig;
  NetworkSettings: {
    IPAddress: string;
    Gateway: string;
    Ports: Record<string, PortBinding[] | null> | null;
    Networks: Record<string, EndpointSettings>;
    [field: string]: unknown;
  };
  Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
  LogPath: string;
  [field: string]: unknown;
}

export interface ContainerSummary {
  Id: string;
  /** With a leading `/`. */
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Seconds since the epoch. */
  Created: number;
  State: ContainerState['Status'];
  /** Human-readable, e.g. `Up 3 minutes`, `Exited (0) 2 seconds ago`. */
  Status: string;
  Labels: Record<string, string>;
  NetworkSettings?: { Networks: Record<string, EndpointSettings> };
  [field: string]: unknown;
}

/** What the container waited for ends with. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface ContainerWaitResult {
  StatusCode: number;
  Error?: { Message: string } | null;
}

// ---- exec ----

export interface ExecConfig {
  Cmd: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  Privileged?: boolean;
  Tty?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
}

export interface ExecInspect {
  ID: string;
  ContainerID: string;
  Running: boolean;
  /** null until the process has ended. */
  ExitCode: number | null;
  Pid: number;
  ProcessConfig: { entrypoint: string; arguments: string[]; tty: boolean; user?: string; privileged?: boolean };
  [field: string]: unknown;
}

// ---- networks and volumes ----

export interface IpamConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
}

export interface NetworkCreateConfig {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  CheckDuplicate?: boolean;
  IPAM?: { Driver?: string; Config?: IpamConfig[]; Options?: Record<string, string> };
  /** Driver options, e.g. `com.docker.network.bridge.name`. */
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

export interface NetworkInspect {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  IPAM: { Driver: string; Config: IpamConfig[] | null; Options: Record<string, string> | null };
  Options: Record<string, string> | null;
  Labels: Record<string, string> | null;
  /** Attached containers by ID (only in the answer for one network). */
  Containers?: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }>;
  [field: string]: unknown;
}

export interface VolumeCreateConfig {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

export interface VolumeInspect {
  Name: string;
  Driver: string;
  Mountpoint: string;
  Labels: Record<string, string> | null;
  Scope: string;
  CreatedAt?: string;
  Options: Record<string, string> | null;
}

// ---- events ----

/** One message of `GET /events`. */
export interface DockerEvent {
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon' | 'plugin' | 'service' | 'node' | 'secret' | 'config' | string;
  /**
   * `create`, `start`, `die`, `oom`, `kill`, `stop`, `destroy`, …; some carry a detail after a colon
   * (`exec_start: sh -c …`, `health_status: healthy`).
   */
  Action: string;
  /** For containers: their labels, plus `image`, `name` and, on `die`, `exitCode` (a string). */
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local' | 'swarm';
  /** Seconds since the epoch. */
  time: number;
  timeNano: number;
}
