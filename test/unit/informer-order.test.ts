import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { Informer } from '../../src/api/informer.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';

test('a handler that writes at once (in process) does not make later handlers see events out of order', async () => {
  const CMS = findByKind('ConfigMap')!;
  const { registry, client, done } = inProcessRegistry();
  const informer = new Informer(client, CMS);
  const seen: string[] = [];
  try {
    registry.create(CMS, 'default', { metadata: { name: 'c' }, data: { step: '0' } });
    // The first handler answers step 1 with step 2 synchronously, as a controller's sync does.
    informer.addHandlers({
      update: (_old, cm) => {
        if (cm.data?.step === '1') registry.update(CMS, 'default', 'c', { ...cm, data: { step: '2' } });
      },
    });
    informer.addHandlers({ update: (_old, cm) => seen.push(cm.data!.step) });
    informer.start();
    await informer.hasSynced();
    registry.update(CMS, 'default', 'c', { ...registry.get(CMS, 'default', 'c'), data: { step: '1' } });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, ['1', '2']);
  } finally {
    informer.stop();
    done();
  }
});
