// The cluster's own commands (up, status) talk to the API as the admin of the token file,
// trusting the cluster's serving certificate.
import { readFileSync } from 'node:fs';
import { HttpClient } from '../../api/http-client.js';
import type { ClusterPaths } from './local-cluster.js';

export function readAdminToken(p: ClusterPaths): string {
  return readFileSync(p.tokens, 'utf8').split('\n')[0].split(',')[0].trim();
}

export function adminClient(p: ClusterPaths, server: string, caPem: string): HttpClient {
  return new HttpClient({ server, token: readAdminToken(p), ca: caPem });
}
