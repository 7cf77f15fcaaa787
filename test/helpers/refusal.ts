// The ApiError a synchronous registry call refuses with; fails the test when it does not refuse.
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/errors.js';

export function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}
