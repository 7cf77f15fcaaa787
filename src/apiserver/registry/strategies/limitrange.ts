// LimitRanges: SetDefaults_LimitRangeItem (a Container's default limit falls back to its max, its
// default request to the default limit, then to its min) and ValidateLimitRange, with Kubernetes'
// field paths and messages.
import { Quantity } from '../../../api/quantity.js';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { duplicate, forbidden, invalid, required } from './field-errors.js';
import { validateContainerResourceName, validateResourceName } from './resource-names.js';
import { isQualifiedName } from '../../../api/validation/names.js';

const STANDARD_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];
const FIELDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
type Field = (typeof FIELDS)[number];
/** Resources a node cannot overcommit: a default limit must equal the default request. */
const NO_OVERCOMMIT_PREFIXES = ['hugepages-'];

function applyDefaults(lr: KubeObject): void {
  for (const item of lr.spec?.limits ?? []) {
    if (item?.type !== 'Container') continue;
    const fill = (target: 'default' | 'defaultRequest', from: Record<string, unknown> | undefined) => {
      for (const [name, value] of Object.entries(from ?? {})) {
        if ((item[target] ??= {})[name] === undefined) item[target][name] = value;
      }
    };
    fill('default', item.max);
    fill('defaultRequest', item.default);
    fill('defaultRequest', item.min);
  }
}

function validateTypeName(type: string, field: string): StatusCause[] {
  if (STANDARD_TYPES.includes(type)) return [];
  const causes = isQualifiedName(type).map((m) => invalid(field, type, m));
  if (causes.length === 0 && !type.includes('/')) causes.push(invalid(field, type, 'must be a standard limit type or fully qualified'));
  return causes;
}

function validateName(type: string, name: string, field: string): StatusCause[] {
  return type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, field) : validateResourceName(name, field);
}

function overcommitAllowed(name: string): boolean {
  return !NO_OVERCOMMIT_PREFIXES.some((p) => name.startsWith(p)) && (!name.includes('/') || name.startsWith('kubernetes.io/'));
}

function validateItem(item: any, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const type: string = item.type ?? '';
  causes.push(...validateTypeName(type, `${at}.type`));
  const values: Record<Field, Map<string, Quantity>> = { max: new Map(), min: new Map(), default: new Map(), defaultRequest: new Map(), maxLimitRequestRatio: new Map() };
  for (const field of FIELDS) {
    if (type === 'Pod' && (field === 'default' || field === 'defaultRequest')) {
      if (Object.keys(item[field] ?? {}).length) causes.push(forbidden(`${at}.${field}`, "may not be specified when `type` is 'Pod'"));
      continue;
    }
    for (const [name, raw] of Object.entries(item[field] ?? {})) {
      causes.push(...validateName(type, name, `${at}.${field}[${name}]`));
      const q = Quantity.parse(raw as string);
      if (q) values[field].set(name, q);
    }
  }
  if (type === 'PersistentVolumeClaim' && !values.min.has('storage') && !values.max.has('storage')) {
    causes.push(required(`${at}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
  }
  const names = new Set(FIELDS.flatMap((f) => [...values[f].keys()]));
  for (const name of [...names].sort()) {
    const min = values.min.get(name);
    const max = values.max.get(name);
    const def = values.default.get(name);
    const defReq = values.defaultRequest.get(name);
    const ratio = values.maxLimitRequestRatio.get(name);
    const key = (field: Field) => `${at}.${field}[${name}]`;
    if (min && max && min.cmp(max) > 0) causes.push(invalid(key('min'), `${min}`, `min value ${min} is greater than max value ${max}`));
    if (defReq && min && min.cmp(defReq) > 0) causes.push(invalid(key('defaultRequest'), `${defReq}`, `min value ${min} is greater than default request value ${defReq}`));
    if (defReq && max && defReq.cmp(max) > 0) causes.push(invalid(key('defaultRequest'), `${defReq}`, `default request value ${defReq} is greater than max value ${max}`));
    if (defReq && def && defReq.cmp(def) > 0) causes.push(invalid(key('defaultRequest'), `${defReq}`, `default request value ${defReq} is greater than default limit value ${def}`));
    if (def && min && min.cmp(def) > 0) causes.push(invalid(key('default'), `${min}`, `min value ${min} is greater than default value ${def}`));
    if (def && max && def.cmp(max) > 0) causes.push(invalid(key('default'), `${max}`, `default value ${def} is greater than max value ${max}`));
    if (ratio && ratio.cmp(Quantity.of(1, 'DecimalSI')) < 0) causes.push(invalid(key('maxLimitRequestRatio'), `${ratio}`, `ratio ${ratio} is less than 1`));
    if (ratio && min && max && !min.isZero()) {
      const limit = Number(max.milliValue()) / Number(min.milliValue());
      if (Number(ratio.milliValue()) / 1000 > limit) causes.push(invalid(key('maxLimitRequestRatio'), `${ratio}`, `ratio ${ratio} is greater than max/min = ${limit.toFixed(6)}`));
    }
    if (!overcommitAllowed(name) && def && defReq && def.cmp(defReq) !== 0) {
      causes.push(invalid(key('defaultRequest'), `${defReq}`, `default value ${def} must equal to defaultRequest value ${defReq} in ${name}`));
    }
  }
  return causes;
}

function validate(lr: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  ((lr.spec?.limits as any[] | undefined) ?? []).forEach((item, i) => {
    const at = `spec.limits[${i}]`;
    causes.push(...validateItem(item ?? {}, at));
    if (seen.has(item?.type)) causes.push(duplicate(`${at}.type`, item.type));
    seen.add(item?.type);
  });
  return causes;
}

export const limitRangeStrategy: Strategy = {
  applyDefaults,
  validate,
};
