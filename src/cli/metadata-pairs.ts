// Pure: kubectl label's and annotate's `key=value` / `key-` arguments and what they do to an
// object's labels or annotations. The two commands differ only in the details kubectl gives each
// (how a pair is parsed, when an existing key needs --overwrite, what the result is called), which
// are the fields of a MetadataKind.
import { isValidLabelValue } from '../api/validation/names.js';
import { CliError } from './errors.js';

export interface MetadataKind {
  command: 'label' | 'annotate';
  /** `label` or `annotation`. */
  noun: string;
  /** kubectl label says so when a key to remove is not there; annotate says nothing. */
  reportsMissingRemoval: boolean;
  field: 'labels' | 'annotations';
  parse(pairs: readonly string[]): MetadataChanges;
  /** The existing keys --overwrite would be needed for, as one error message; undefined if none. */
  overwriteError(current: Record<string, string>, set: Record<string, string>): string | undefined;
  /** What the printed line calls the result (`labeled`, `not labeled`, `annotated`...). */
  outcome(before: Record<string, string>, after: Record<string, string>, overwrite: boolean): string;
}

export interface MetadataChanges {
  set: Record<string, string>;
  remove: string[];
}

/** Resources come first, then the changes (anything with `=` or a trailing `-`). */
export function splitPairArgs(args: readonly string[], noun: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    if (a.includes('=') || a.endsWith('-')) pairs.push(a);
    else if (pairs.length) throw new CliError(`all resources must be specified before ${noun} changes: ${a}`);
    else resources.push(a);
  }
  return { resources, pairs };
}

export const LABEL: MetadataKind = {
  command: 'label',
  noun: 'label',
  reportsMissingRemoval: true,
  field: 'labels',
  parse(pairs) {
    const out: MetadataChanges = { set: {}, remove: [] };
    for (const spec of pairs) {
      if (spec.includes('=')) {
        const parts = spec.split('=');
        if (parts.length !== 2) throw new CliError(`invalid label spec: ${spec}`);
        const errs = isValidLabelValue(parts[1]);
        if (errs.length) throw new CliError(`invalid label value: "${spec}": ${errs.join(';')}`);
        out.set[parts[0]] = parts[1];
      } else if (spec.endsWith('-')) out.remove.push(spec.slice(0, -1));
      else throw new CliError(`unknown label spec: ${spec}`);
    }
    if (out.remove.some((k) => k in out.set)) throw new CliError('can not both modify and remove a label in the same command');
    return out;
  },
  overwriteError(current, set) {
    const errs = Object.keys(set)
      .filter((k) => k in current)
      .map((k) => `'${k}' already has a value (${current[k]}), and --overwrite is false`);
    return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  },
  outcome(before, after, overwrite) {
    if (JSON.stringify(before) === JSON.stringify(after)) return 'not labeled';
    // kubectl's own rule: a shorter object without --overwrite means labels were taken away.
    return !overwrite && JSON.stringify(after).length < JSON.stringify(before).length ? 'unlabeled' : 'labeled';
  },
};

export const ANNOTATION: MetadataKind = {
  command: 'annotate',
  noun: 'annotation',
  reportsMissingRemoval: false,
  field: 'annotations',
  parse(pairs) {
    const out: MetadataChanges = { set: {}, remove: [] };
    const invalid: string[] = [];
    for (const spec of pairs) {
      if (spec.includes('=') && !spec.startsWith('=')) {
        const at = spec.indexOf('=');
        out.set[spec.slice(0, at)] = spec.slice(at + 1);
      } else if (spec.endsWith('-') && spec !== '-') out.remove.push(spec.slice(0, -1));
      else invalid.push(spec);
    }
    if (invalid.length) throw new CliError(`invalid annotation format: ${invalid.join(', ')}`);
    const both = out.remove.filter((k) => k in out.set);
    if (both.length) throw new CliError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
    return out;
  },
  overwriteError(current, set) {
    const found = Object.keys(set)
      // kubectl lets the change-cause annotation be overwritten always, and an equal value is no overwrite.
      .filter((k) => k !== 'kubernetes.io/change-cause' && k in current && current[k] !== set[k])
      .map((k) => `'${k}' already has a value (${current[k]})`);
    return found.length ? `--overwrite is false but found the following declared annotation(s): ${found.join('; ')}` : undefined;
  },
  outcome: () => 'annotated',
};

/** The object's new labels or annotations, or the error kubectl gives. */
export function applyMetadataChanges(kind: MetadataKind, current: Record<string, string> | undefined, changes: MetadataChanges, overwrite: boolean): Record<string, string> {
  const before = current ?? {};
  if (!overwrite) {
    const err = kind.overwriteError(before, changes.set);
    if (err) throw new CliError(err);
  }
  const after = { ...before, ...changes.set };
  for (const k of changes.remove) delete after[k];
  return after;
}

/** The merge patch from `before` to `after` (removed keys as null). */
export function metadataPatch(field: string, before: Record<string, string>, after: Record<string, string>): Record<string, unknown> {
  const diff: Record<string, string | null> = {};
  for (const k of Object.keys(before)) if (!(k in after)) diff[k] = null;
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) diff[k] = v;
  return { metadata: { [field]: diff } };
}
