// `continue` tokens for paged lists: the revision the first page was served at and the last key
// returned, base64-encoded JSON as Kubernetes does (clients treat them as opaque).
import { errors } from '../../api/errors.js';

export interface ContinueToken {
  rev: number;
  key: string;
}

export function encodeContinue(rev: number, key: string): string {
  return Buffer.from(JSON.stringify({ v: 'kctl/v1', rv: rev, start: key })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (parsed.v === 'kctl/v1' && Number.isInteger(parsed.rv) && typeof parsed.start === 'string') return { rev: parsed.rv!, key: parsed.start };
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest('invalid continue token');
}
