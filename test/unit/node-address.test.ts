// The node's address when --node-ip is not given: the source address of the route to the API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { addressTowards } from '../../src/nodeagent/node-address.js';

test('an API server on this machine is reached from 127.0.0.1', async () => {
  assert.equal(await addressTowards('https://127.0.0.1:6443'), '127.0.0.1');
  assert.equal(await addressTowards('https://localhost:6443'), '127.0.0.1');
});

test("an API server at one of this machine's own addresses is reached from that address", async () => {
  const own = Object.values(networkInterfaces()).flat().find((a) => a?.family === 'IPv4' && !a.internal)?.address;
  if (!own) return;
  assert.equal(await addressTowards(`https://${own}:6443`), own);
});
