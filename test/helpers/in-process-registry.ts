// A registry on a real SQLite file in a temporary directory, with the default namespace and an
// in-process client: what controllers and recorders are unit-tested against, without a daemon.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findByKind } from '../../src/api/resources.js';
import { InProcessClient } from '../../src/apiserver/registry/in-process-client.js';
import { Registry } from '../../src/apiserver/registry/registry.js';
import { SqliteStore } from '../../src/apiserver/storage/sqlite-store.js';

export function inProcessRegistry() {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-reg-'));
  const store = new SqliteStore(join(dir, 'kctl.db'));
  const registry = new Registry(store);
  registry.create(findByKind('Namespace')!, undefined, { metadata: { name: 'default' } });
  return { store, registry, client: new InProcessClient(registry), done: () => (store.close(), rmSync(dir, { recursive: true, force: true })) };
}
