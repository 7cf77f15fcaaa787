// Pure: kubectl taint's arguments and the node's new taints, with kubectl's rules and messages
// (`key=value:Effect` adds, `key:Effect-` and `key-` remove; an existing key and effect needs
// --overwrite; removing a taint that is not there is an error).
import type { Taint } from 'kubernetes-types/core/v1.js';
import { isQualifiedName, isValidLabelValue } from '../api/validation/names.js';
import { CliError } from './errors.js';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Resources come first, then taint changes (anything with `=`, `:` or a trailing `-`). */
export function splitTaintArgs(args: readonly string[]): { resources: string[]; changes: string[] } {
  const resources: string[] = [];
  const changes: string[] = [];
  for (const a of args) {
    const isChange = a.includes('=') || a.includes(':') || a.endsWith('-');
    if (isChange) changes.push(a);
    else if (changes.length) throw new CliError(`all resources must be specified before taint changes: ${a}`);
    else resources.push(a);
  }
  if (resources.length < 1) throw new CliError('one or more resources must be specified as <resource> <name>');
  if (changes.length < 1) throw new CliError('at least one taint update is required');
  return { resources, changes };
}

function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key: string;
  let value = '';
  let effect = '';
  if (parts.length === 1) key = parts[0];
  else if (parts.length === 2) {
    effect = parts[1];
    if (!EFFECTS.includes(effect)) throw new CliError(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split('=');
    if (kv.length > 2) throw new CliError(`invalid taint spec: ${spec}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const errs = isValidLabelValue(value);
      if (errs.length) throw new CliError(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
    }
  } else throw new CliError(`invalid taint spec: ${spec}`);
  const errs = isQualifiedName(key);
  if (errs.length) throw new CliError(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
  const taint: Taint = { key, effect };
  if (value) taint.value = value;
  return taint;
}

export interface TaintChanges {
  add: Taint[];
  /** Without an effect: every taint with the key. */
  remove: Array<{ key: string; effect?: string }>;
}

export function parseTaintChanges(changes: readonly string[]): TaintChanges {
  const out: TaintChanges = { add: [], remove: [] };
  for (const spec of changes) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      out.remove.push(t.effect ? { key: t.key, effect: t.effect } : { key: t.key });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new CliError(`invalid taint spec: ${spec}`);
    if (out.add.some((a) => a.key === t.key && a.effect === t.effect)) {
      // Go's %v of the Taint struct, as kubectl prints it.
      throw new CliError(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
    }
    out.add.push(t);
  }
  const conflicts = out.remove.filter((r) => out.add.some((a) => a.key === r.key && (!r.effect || a.effect === r.effect)));
  if (conflicts.length) {
    throw new CliError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.map((c) => `{"${c.key}":"${c.effect ?? ''}"}`).join(', ')}`);
  }
  return out;
}

/** `key=value:Effect`, as Kubernetes' Taint.ToString. */
export function formatTaintSpec(t: { key: string; value?: string; effect?: string }): string {
  const head = t.value ? `${t.key}=${t.value}` : t.key;
  return t.effect ? `${head}:${t.effect}` : head;
}

/**
 * The node's taints after the changes, and what to call it: `tainted` (only additions),
 * `untainted` (only removals) or `modified` (both, or --overwrite).
 */
export function applyTaintChanges(nodeName: string, current: readonly Taint[] | undefined, changes: TaintChanges, overwrite: boolean): { taints: Taint[]; operation: string } {
  const old = current ?? [];
  if (!overwrite) {
    const existing = changes.add.filter((a) => old.some((t) => t.key === a.key && t.effect === a.effect)).map((a) => a.key);
    if (existing.length) throw new CliError(`node ${nodeName} already has ${existing.join(',')} taint(s) with same effect(s) and --overwrite is false`);
  }
  let taints: Taint[] = [...changes.add, ...old.filter((t) => !changes.add.some((a) => a.key === t.key && a.effect === t.effect))];
  const added = old.length !== taints.length;
  const notFound: string[] = [];
  let removed = false;
  for (const r of changes.remove) {
    const kept = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    removed = kept.length !== taints.length;
    if (!removed) notFound.push(`taint "${formatTaintSpec(r)}" not found`);
    taints = kept;
  }
  if (notFound.length) throw new CliError(notFound.length === 1 ? notFound[0] : `[${notFound.join(', ')}]`);
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { taints, operation };
}
