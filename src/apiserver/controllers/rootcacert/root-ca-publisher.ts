// Publishes the API server's CA (here: its self-signed serving certificate) as the
// `kube-root-ca.crt` ConfigMap in every active namespace, as Kubernetes' root-ca-cert-publisher
// does, so pods can trust the API server through their kube-api-access volume. A copy that is
// deleted or changed is put back. ConfigMap events come from the shared metadata-only informer (a
// full one would hold every ConfigMap's data in memory for one name's sake); the copy itself is
// read when needed.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import type { Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { ROOT_CA_CONFIG_MAP } from '../../../api/service-accounts.js';
import { isActiveNamespace } from '../namespaces.js';

const CONFIG_MAPS = findByKind('ConfigMap')!;
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/** Whether the ConfigMap holds exactly the CA and the description, as published. */
function isCurrent(cm: KubeObject, caPem: string): boolean {
  const keys = Object.keys(cm.data ?? {});
  return keys.length === 1 && cm.data['ca.crt'] === caPem && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION && !cm.binaryData;
}

export class RootCAPublisher {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly namespaces: Informer,
    /** Metadata-only is enough: any change bumps the resourceVersion. */
    configMaps: Informer,
    private readonly caPem: string,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((ns) => this.sync(ns), (ns, err) => log(`root-ca-cert-publisher: namespace ${ns}: ${(err as Error).message}`), { name: 'root_ca_cert_publisher' });
    const enqueueNamespace = (ns: KubeObject) => this.queue.add(ns.metadata.name!);
    const enqueueOwnNamespace = (cm: KubeObject) => {
      if (cm.metadata.name === ROOT_CA_CONFIG_MAP) this.queue.add(cm.metadata.namespace!);
    };
    namespaces.addHandlers({ add: enqueueNamespace, update: (_old, ns) => enqueueNamespace(ns) });
    configMaps.addHandlers({ add: enqueueOwnNamespace, update: (_old, cm) => enqueueOwnNamespace(cm), delete: enqueueOwnNamespace });
  }

  async sync(namespace: string): Promise<void> {
    if (!isActiveNamespace(this.namespaces.get(namespace))) return;
    const cm = await this.current(namespace);
    if (cm && isCurrent(cm, this.caPem)) return;
    try {
      if (!cm) {
        await this.client.create(CONFIG_MAPS, namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIG_MAP, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data: { 'ca.crt': this.caPem },
        });
        return;
      }
      // Update on the revision read: a conflict means a newer copy, whose event brings us back.
      const annotations = { ...(cm.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
      const { binaryData: _dropped, ...rest } = cm;
      await this.client.update(CONFIG_MAPS, namespace, { ...rest, metadata: { ...cm.metadata, annotations }, data: { 'ca.crt': this.caPem } });
    } catch (err) {
      if (err instanceof ApiError && ['AlreadyExists', 'Conflict', 'NotFound', 'Forbidden'].includes(err.reason)) return;
      throw err;
    }
  }

  private async current(namespace: string): Promise<KubeObject | undefined> {
    try {
      return await this.client.get(CONFIG_MAPS, namespace, ROOT_CA_CONFIG_MAP);
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }
}
