// Kubernetes' bootstrap signer: keeps the kube-public/cluster-info ConfigMap signed for every
// signing bootstrap token (cluster-info-signatures.ts), adding a signature when a token is made,
// dropping it when the token is deleted or expires, and re-signing when the kubeconfig changes.
// One key ("cluster-info"), fed by metadata-only informers on Secrets and ConfigMaps; the objects
// themselves are read when the key is synced. A token's expiry is its own event: a timer.
import type { ApiClient } from '../../../api/client.js';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, readBootstrapTokenSecret } from '../../../api/bootstrap-token.js';
import { CLUSTER_INFO_CONFIG_MAP, CLUSTER_INFO_NAMESPACE } from '../../../api/cluster-info.js';
import { ApiError } from '../../../api/errors.js';
import type { Informer } from '../../../api/informer.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { signedClusterInfoData } from './cluster-info-signatures.js';

const SECRETS = findByKind('Secret')!;
const CONFIG_MAPS = findByKind('ConfigMap')!;
const KEY = `${CLUSTER_INFO_NAMESPACE}/${CLUSTER_INFO_CONFIG_MAP}`;
// setTimeout's limit; a later expiry is looked at again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class BootstrapSigner {
  readonly queue: WorkQueue;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ApiClient,
    secrets: Informer,
    configMaps: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue(() => this.sync(), (_key, err) => log(`bootstrap-signer: ${(err as Error).message}`), { name: 'bootstrap_signer_queue' });
    const onSecret = (s: KubeObject) => {
      if (s.metadata.namespace === BOOTSTRAP_TOKEN_NAMESPACE) this.queue.add(KEY);
    };
    const onConfigMap = (cm: KubeObject) => {
      if (cm.metadata.namespace === CLUSTER_INFO_NAMESPACE && cm.metadata.name === CLUSTER_INFO_CONFIG_MAP) this.queue.add(KEY);
    };
    secrets.addHandlers({ add: onSecret, update: (_o, s) => onSecret(s), delete: onSecret });
    configMaps.addHandlers({ add: onConfigMap, update: (_o, cm) => onConfigMap(cm) });
  }

  stop(): void {
    clearTimeout(this.expiryTimer);
    this.queue.stop();
  }

  async sync(): Promise<void> {
    let clusterInfo: KubeObject;
    try {
      clusterInfo = await this.client.get(CONFIG_MAPS, CLUSTER_INFO_NAMESPACE, CLUSTER_INFO_CONFIG_MAP);
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      throw err;
    }
    const tokens = (await this.client.list(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, { fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}` })).items;
    const now = new Date();
    this.wakeAtNextExpiry(tokens, now);
    const data = signedClusterInfoData(clusterInfo, tokens, now);
    if (!data) return;
    await this.client.update(CONFIG_MAPS, CLUSTER_INFO_NAMESPACE, { ...clusterInfo, data });
  }

  private wakeAtNextExpiry(tokens: KubeObject[], now: Date): void {
    clearTimeout(this.expiryTimer);
    const next = Math.min(
      ...tokens
        .map((t) => Date.parse(readBootstrapTokenSecret(t)?.expiration ?? ''))
        .filter((at) => Number.isFinite(at) && at > now.getTime()),
    );
    if (!Number.isFinite(next)) return;
    this.expiryTimer = setTimeout(() => this.queue.add(KEY), Math.min(next - now.getTime() + 1000, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }
}
