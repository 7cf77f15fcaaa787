import { test } from 'node:test';
import assert from 'node:assert/strict';
import { microTime, rfc3339 } from '../../src/api/timestamps.js';

test('metav1.Time drops the milliseconds, metav1.MicroTime pads them to microseconds', () => {
  const d = new Date('2024-05-01T12:00:09.123Z');
  assert.equal(rfc3339(d), '2024-05-01T12:00:09Z');
  assert.equal(rfc3339(new Date('2024-05-01T23:59:59.999Z')), '2024-05-01T23:59:59Z');
  assert.equal(microTime(d), '2024-05-01T12:00:09.123000Z');
});
