// A node agent's identity, as the kubelet's certificate manager keeps it: the client certificate
// in the data dir when it is still good, else a TLS bootstrap with the join token; then a renewal
// (with the current certificate, so it is the node itself asking) at 70-90% of each certificate's
// lifetime. The API client switches to each new certificate as it arrives.
import { ApiError } from '../../api/errors.js';
import { HttpClient } from '../../api/http-client.js';
import { nodeUserName } from '../../api/certificate-signing-requests.js';
import { certificateInfo } from '../../api/pki/certificate-info.js';
import { readCredentials, usableCredentials, writeCredentials, type ClientCredentials } from './certificate-store.js';
import { requestClientCertificate } from './csr-request.js';
import { rotationDeadline } from './rotation-deadline.js';

export interface NodeIdentityOptions {
  server: string;
  ca?: string;
  nodeName: string;
  dataDir: string;
  /** The join token, for the first certificate (or when the stored one has expired). */
  bootstrapToken?: string;
  /** The User-Agent the agent's requests carry (the kubelet's). */
  userAgent?: string;
  /** spec.expirationSeconds of the agent's requests; absent: the signer's longest. */
  expirationSeconds?: number;
  log(msg: string): void;
}

const REQUEST_TIMEOUT_MS = 5 * 60_000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 60_000;
// setTimeout's limit; a later deadline is waited for in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class NodeIdentity {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    readonly client: HttpClient,
    private credentials: ClientCredentials,
    private readonly opts: NodeIdentityOptions,
  ) {}

  /**
   * The node's API client, authenticated by its certificate (bootstrapped when needed), with
   * renewals scheduled. Throws an ApiError the server answered (an Unauthorized token) or an Error.
   */
  static async establish(opts: NodeIdentityOptions): Promise<NodeIdentity> {
    const user = nodeUserName(opts.nodeName);
    let credentials = readCredentials(opts.dataDir);
    if (credentials && !usableCredentials(credentials, opts.ca, user, new Date())) credentials = undefined;
    if (!credentials) {
      if (!opts.bootstrapToken) {
        throw new Error(`there is no usable client certificate in ${opts.dataDir}/pki and no join token (--token or --token-file) to bootstrap one with`);
      }
      credentials = await NodeIdentity.bootstrap(opts);
      opts.log(`TLS bootstrap: got a client certificate for ${user} (valid until ${certificateInfo(credentials.certPem).notAfter.toISOString()})`);
    }
    const identity = new NodeIdentity(new HttpClient({ server: opts.server, ca: opts.ca, cert: credentials.certPem, key: credentials.keyPem, userAgent: opts.userAgent }), credentials, opts);
    identity.schedule();
    return identity;
  }

  private static async bootstrap(opts: NodeIdentityOptions): Promise<ClientCredentials> {
    const client = new HttpClient({ server: opts.server, ca: opts.ca, token: opts.bootstrapToken, userAgent: opts.userAgent });
    try {
      const c = await requestClientCertificate(client, opts.nodeName, { expirationSeconds: opts.expirationSeconds, timeoutMs: REQUEST_TIMEOUT_MS });
      writeCredentials(opts.dataDir, c);
      return c;
    } finally {
      client.close();
    }
  }

  /** When the current certificate is renewed. */
  get renewAt(): Date {
    const info = certificateInfo(this.credentials.certPem);
    return rotationDeadline(info.notBefore, info.notAfter);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs = Math.max(0, this.renewAt.getTime() - Date.now())): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.rotate(delayMs), Math.min(delayMs, MAX_TIMER_MS));
    this.timer.unref();
  }

  private async rotate(waitedMs: number, attempt = 0): Promise<void> {
    if (this.stopped) return;
    if (waitedMs > MAX_TIMER_MS) return this.schedule();
    try {
      const info = certificateInfo(this.credentials.certPem);
      // Past its end the certificate no longer authenticates: only the join token can start over.
      const c =
        info.notAfter.getTime() <= Date.now() && this.opts.bootstrapToken
          ? await NodeIdentity.bootstrap(this.opts)
          : await requestClientCertificate(this.client, this.opts.nodeName, { expirationSeconds: this.opts.expirationSeconds, timeoutMs: REQUEST_TIMEOUT_MS });
      if (this.stopped) return;
      writeCredentials(this.opts.dataDir, c);
      this.credentials = c;
      this.client.setClientCertificate(c.certPem, c.keyPem);
      this.opts.log(`rotated the client certificate (valid until ${certificateInfo(c.certPem).notAfter.toISOString()}; next renewal at ${this.renewAt.toISOString()})`);
      this.schedule();
    } catch (err) {
      const delay = Math.min(RETRY_MIN_MS * 2 ** attempt, RETRY_MAX_MS);
      this.opts.log(`cannot renew the client certificate yet (${err instanceof ApiError ? `${err.reason}: ${err.message}` : (err as Error).message}); retrying in ${delay} ms`);
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.rotate(0, attempt + 1), delay);
      this.timer.unref();
    }
  }
}
