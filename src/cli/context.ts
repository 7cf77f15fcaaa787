// What every command that talks to the API needs: the client for the chosen cluster and namespace.
import type { Command } from 'commander';
import { HttpClient } from '../api/http-client.js';
import { loadConfig, type ResolvedConfig } from '../api/kubeconfig.js';
import { defaultTrust } from './default-trust.js';
import { CliError } from './errors.js';

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  server?: string;
  token?: string;
  namespace?: string;
  insecureSkipTlsVerify?: boolean;
  as?: string;
  asGroup?: string[];
}

export interface CliContext {
  client: HttpClient;
  config: ResolvedConfig;
  /** The namespace from -n, else the context's, else "default". */
  namespace: string;
  /** Whether -n was given explicitly (some messages differ, as in kubectl). */
  namespaceExplicit: boolean;
}

export async function connect(cmd: Command): Promise<CliContext> {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  let config: ResolvedConfig;
  try {
    config = await loadConfig({
      kubeconfig: g.kubeconfig,
      context: g.context,
      server: g.server,
      token: g.token,
      insecureSkipTlsVerify: g.insecureSkipTlsVerify,
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (!config.ca && !config.insecure && config.server.startsWith('https:')) config.ca = defaultTrust();
  if (g.asGroup?.length && !g.as) throw new CliError('requesting uid or groups without impersonating a user');
  if (g.as) config.impersonate = { user: g.as, groups: g.asGroup ?? [] };
  return {
    client: new HttpClient(config),
    config,
    namespace: g.namespace || config.namespace,
    namespaceExplicit: !!g.namespace,
  };
}
