import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowestFree, parseSubnetRange, subnetAt, subnetCount, subnetIndex } from '../../src/apiserver/controllers/node-ipam/cidr-set.js';

test('a /16 cluster CIDR cut at /24 gives 256 node ranges, in address order', () => {
  const r = parseSubnetRange('10.244.0.0/16', 24);
  assert.equal(subnetCount(r), 256);
  assert.equal(subnetAt(r, 0), '10.244.0.0/24');
  assert.equal(subnetAt(r, 255), '10.244.255.0/24');
  assert.equal(subnetIndex(r, '10.244.7.0/24'), 7);
});

test('ranges outside the cluster CIDR, of another size or not on a boundary are none of its subnets', () => {
  const r = parseSubnetRange('10.244.0.0/16', 24);
  assert.equal(subnetIndex(r, '10.245.0.0/24'), undefined);
  assert.equal(subnetIndex(r, '10.244.1.0/25'), undefined);
  assert.equal(subnetIndex(r, '10.244.1.128/24'), undefined);
  assert.equal(subnetIndex(r, 'nonsense'), undefined);
});

test('the lowest free range is handed out; a gap left by a deleted node is filled first; none when full', () => {
  const r = parseSubnetRange('10.244.0.0/16', 24);
  assert.equal(lowestFree(r, []), '10.244.0.0/24');
  assert.equal(lowestFree(r, ['10.244.0.0/24', '10.244.2.0/24']), '10.244.1.0/24');
  assert.equal(lowestFree(r, ['10.244.0.0/24', '10.244.1.0/24', '192.0.2.0/24']), '10.244.2.0/24');
  const small = parseSubnetRange('10.0.0.0/23', 24);
  assert.equal(lowestFree(small, ['10.0.0.0/24', '10.0.1.0/24']), undefined);
});

test('a cluster CIDR given off its boundary is taken at its network; bad sizes are refused with the reason', () => {
  assert.equal(subnetAt(parseSubnetRange('10.244.9.9/16', 24), 1), '10.244.1.0/24');
  assert.throws(() => parseSubnetRange('10.244.0.0/16', 8), /mask size must be between the cluster CIDR's \(\/16\) and \/30, got 8/);
  assert.throws(() => parseSubnetRange('10.244.0.0', 24), /IPv4 CIDR/);
});
