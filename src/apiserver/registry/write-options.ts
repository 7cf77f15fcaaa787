// The fieldManager and force options of a write, checked as Kubernetes' ValidateCreateOptions,
// ValidateUpdateOptions and ValidatePatchOptions do, and the manager a write gets when the client
// names none (the user agent up to its first '/': `kubectl`, `kubelet`, `python-requests`…).
import type { StatusCause } from '../../api/types.js';
import { errors } from '../../api/errors.js';

const FIELD_MANAGER_MAX_LENGTH = 128;

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

function isPrintable(ch: string): boolean {
  return !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch) && (ch === ' ' || !/\s/u.test(ch));
}

function managerCauses(manager: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) {
    causes.push({ reason: 'FieldValueTooLong', field: 'fieldManager', message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  let i = 0;
  for (const ch of manager) {
    if (!isPrintable(ch)) {
      const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      causes.push({ reason: 'FieldValueInvalid', field: 'fieldManager', message: `Invalid value: ${JSON.stringify(manager)}: invalid character ${code} (at position ${i})` });
    }
    i += Buffer.byteLength(ch);
  }
  return causes;
}

function optionsInvalid(kind: OptionsKind, causes: StatusCause[]) {
  return errors.invalid(kind, 'meta.k8s.io', '', causes);
}

/** Throws the 422 Kubernetes answers for a bad fieldManager or force. */
export function validateWriteOptions(kind: OptionsKind, opts: { fieldManager?: string; force?: boolean }, apply = false): void {
  const causes: StatusCause[] = [];
  if (kind === 'PatchOptions' && !apply && opts.force !== undefined) {
    causes.push({ reason: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' });
  }
  if (apply && !opts.fieldManager) causes.push({ reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' });
  causes.push(...managerCauses(opts.fieldManager ?? ''));
  if (causes.length) throw optionsInvalid(kind, causes);
}

/** The manager of an apply, which must be named. */
export function requireApplyManager(manager: string | undefined): string {
  validateWriteOptions('PatchOptions', { fieldManager: manager }, true);
  return manager!;
}

/** Kubernetes' prefixFromUserAgent: up to the first '/', printable characters only, at most 128 bytes. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0]) {
    if (!isPrintable(ch)) continue;
    if (Buffer.byteLength(out) >= FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}
