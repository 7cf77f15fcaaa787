// One informer per resource type in a process, whoever asks for it: every component reads the same
// watch-fed cache, and the API server serves one watch per type instead of one per component.
import type { ApiClient } from './client.js';
import { Informer } from './informer.js';
import type { ResourceType } from './resources.js';

const METADATA = 'metadata:';

export class SharedInformers {
  private readonly informers = new Map<string, Informer>();
  private started = false;

  constructor(
    private readonly client: ApiClient,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  informer(r: ResourceType): Informer {
    return this.shared(`${r.group}/${r.plural}`, r, false);
  }

  /** Keeps only metadata: a fraction of the memory, for controllers that need no more (the garbage collector). */
  metadataInformer(r: ResourceType): Informer {
    return this.shared(`${METADATA}${r.group}/${r.plural}`, r, true);
  }

  /**
   * Starts every informer asked for so far; those asked for later start at once. A second call
   * does nothing. A metadata informer of a type with a full one follows that one's cache.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const [key, inf] of this.informers) this.begin(key, inf);
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
  }

  private begin(key: string, inf: Informer): void {
    const full = key.startsWith(METADATA) ? this.informers.get(key.slice(METADATA.length)) : undefined;
    if (full) inf.follow(full);
    else inf.start();
  }

  private shared(key: string, r: ResourceType, metadataOnly: boolean): Informer {
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer(this.client, r, this.log, { metadataOnly });
      this.informers.set(key, inf);
      if (this.started) this.begin(key, inf);
    }
    return inf;
  }
}
