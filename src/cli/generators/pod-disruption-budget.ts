// The PodDisruptionBudget `kubectl create poddisruptionbudget NAME --selector=S --min-available=N`
// builds: the selector as metav1.ParseToLabelSelector makes it, an int-or-percent bound, and the
// zero status a typed object marshals.
import { parseLabelSelector } from '../../api/label-selector.js';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { sortedMap, typedObject } from './typed-object.js';

const OPERATORS: Record<string, string> = { in: 'In', notin: 'NotIn', '!=': 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };

/** The structured form of a selector string: equalities in matchLabels, the rest as expressions. */
export function parseToLabelSelector(text: string): Record<string, unknown> {
  let selector;
  try {
    selector = parseLabelSelector(text);
  } catch (err) {
    throw new CliError(`couldn't parse the selector string "${text}": ${(err as Error).message}`);
  }
  const matchLabels: [string, string][] = [];
  const expressions: unknown[] = [];
  for (const r of selector.requirements) {
    if (r.operator === '=' || r.operator === '==') matchLabels.push([r.key, r.values[0]]);
    else {
      const operator = OPERATORS[r.operator];
      if (!operator) throw new CliError(`"${r.operator}" is not a valid label selector operator`);
      expressions.push({ key: r.key, operator, ...(r.values.length ? { values: [...r.values] } : {}) });
    }
  }
  return { ...(matchLabels.length ? { matchLabels: sortedMap(matchLabels) } : {}), ...(expressions.length ? { matchExpressions: expressions } : {}) };
}

/** intstr.Parse: digits are an int, anything else a string. */
function intOrString(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

export interface PdbFlags {
  selector: string;
  minAvailable: string;
  maxUnavailable: string;
}

export function validatePdbFlags(f: PdbFlags): void {
  if (!f.selector) throw new CliError('a selector must be specified');
  if (!f.maxUnavailable && !f.minAvailable) throw new CliError('one of min-available or max-unavailable must be specified');
  if (f.maxUnavailable && f.minAvailable) throw new CliError('min-available and max-unavailable cannot be both specified');
  const re = /^[0-9]+%?$/;
  if (f.minAvailable && !re.test(f.minAvailable)) throw new CliError('invalid format specified for min-available');
  if (f.maxUnavailable && !re.test(f.maxUnavailable)) throw new CliError('invalid format specified for max-unavailable');
}

export function podDisruptionBudgetFor(name: string, namespace: string | undefined, f: PdbFlags): KubeObject {
  validatePdbFlags(f);
  const pdb = typedObject('policy/v1', 'PodDisruptionBudget', name, namespace);
  pdb.spec = {
    ...(f.minAvailable ? { minAvailable: intOrString(f.minAvailable) } : {}),
    selector: parseToLabelSelector(f.selector),
    ...(f.maxUnavailable ? { maxUnavailable: intOrString(f.maxUnavailable) } : {}),
  };
  pdb.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  return pdb;
}
