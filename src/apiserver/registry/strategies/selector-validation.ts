// Validation of the structured label selectors in specs (metav1validation.ValidateLabelSelector) and
// of whether a pod template carries the labels its controller selects by.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import type { StatusCause } from '../../../api/types.js';
import { labelSelectorAsSelector, type Selector } from '../../../api/label-selector.js';
import { isQualifiedName, isValidLabelValue } from '../../../api/validation/names.js';
import { validateLabels } from '../names.js';
import { forbidden, goStringMap, GoSyntax, invalid, invalidEach, required } from './field-errors.js';

export function validateLabelSelector(selector: LabelSelector | undefined | null, field: string): StatusCause[] {
  if (!selector) return [];
  const causes = validateLabels(selector.matchLabels, `${field}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((expression, i) => {
    causes.push(...validateRequirement(expression, `${field}.matchExpressions[${i}]`));
  });
  return causes;
}

function validateRequirement(requirement: LabelSelectorRequirement, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) causes.push(required(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) causes.push(forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      causes.push(invalid(`${field}.operator`, requirement.operator, 'not a valid selector operator'));
  }
  causes.push(...invalidEach(`${field}.key`, requirement.key, isQualifiedName(requirement.key)));
  values.forEach((value, i) => causes.push(...invalidEach(`${field}.values[${i}]`, value, isValidLabelValue(value))));
  return causes;
}

/** The selector as Kubernetes prints a `*metav1.LabelSelector` in messages (Go's `%#v`). */
export function formatLabelSelector(selector: LabelSelector | undefined | null): GoSyntax {
  if (!selector) return new GoSyntax('null');
  const expressions = selector.matchExpressions;
  const requirement = (r: LabelSelectorRequirement) =>
    `v1.LabelSelectorRequirement{Key:${JSON.stringify(r.key)}, Operator:${JSON.stringify(r.operator)}, Values:${
      r.values ? `[]string{${r.values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)'
    }}`;
  const shownExpressions = expressions
    ? `[]v1.LabelSelectorRequirement{${expressions.map(requirement).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoSyntax(`v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels).text}, MatchExpressions:${shownExpressions}}`);
}

/** The selector as a matcher, or undefined when Kubernetes could not convert it (reported elsewhere). */
export function selectorOf(selector: LabelSelector | undefined | null): Selector | undefined {
  try {
    return labelSelectorAsSelector(selector);
  } catch {
    return undefined;
  }
}

/** A controller's pod template must carry labels its own selector matches, or it would orphan its pods. */
export function validateTemplateMatchesSelector(
  selector: Selector | undefined,
  templateLabels: Record<string, string> | undefined,
  templateField: string,
): StatusCause[] {
  if (!selector || selector.empty || selector.matches(templateLabels)) return [];
  return [invalid(`${templateField}.metadata.labels`, goStringMap(templateLabels), '`selector` does not match template `labels`')];
}
