// Docker's event stream, reduced to "a container of this pod died": the agent reacts to it instead
// of polling. The stream is opened again whenever it breaks (e.g. the engine restarted).
import type { DockerClient, DockerStream } from '../docker/docker-client.js';
import type { DockerEvent } from '../docker/types.js';
import { NODE_LABEL, POD_UID_LABEL } from './containers.js';
import { CLUSTER_LABEL } from '../../api/cluster-network.js';

const RECONNECT_MS = 1000;

export interface ContainerEventHandlers {
  onDie(podUid: string): void;
  /** The stream was (re)opened: events may have been missed before it. */
  onResync(): void;
  /** The stream broke or opened again: the engine may have gone or come back. */
  onEngineChange?(): void;
}

export class ContainerEvents {
  private stopped = false;
  private stream: DockerStream<DockerEvent> | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly docker: DockerClient,
    private readonly labels: { node: string; cluster: string },
    private readonly handlers: ContainerEventHandlers,
    private readonly log: (msg: string) => void,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    let first = true;
    while (!this.stopped) {
      try {
        this.stream = await this.docker.events({
          filters: {
            type: ['container'],
            event: ['die'],
            label: [`${NODE_LABEL}=${this.labels.node}`, `${CLUSTER_LABEL}=${this.labels.cluster}`],
          },
        });
        if (!first) {
          this.handlers.onResync();
          this.handlers.onEngineChange?.();
        }
        first = false;
        for await (const event of this.stream) {
          const uid = event.Actor.Attributes[POD_UID_LABEL];
          if (uid) this.handlers.onDie(uid);
        }
      } catch (err) {
        if (!this.stopped) this.log(`the Docker event stream broke: ${(err as Error).message}`);
      }
      if (!this.stopped) this.handlers.onEngineChange?.();
      if (!this.stopped) await new Promise((r) => setTimeout(r, RECONNECT_MS));
    }
  }
}
