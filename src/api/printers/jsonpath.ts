// kubectl's JSONPath template dialect (k8s.io/client-go/util/jsonpath): `{.items[*].metadata.name}`,
// `{range .items[*]}{.metadata.name}{"\n"}{end}`, filters `[?(@.status.phase=="Running")]`, `..`,
// slices, unions and literal text. Values are JSON as decoded from the API (objects, arrays,
// strings, numbers, booleans, null); integral numbers behave as Go's int64, others as float64.
// Parsed by jsonpath/parser.ts, evaluated by jsonpath/evaluator.ts, printed by
// jsonpath/formatting.ts; here, kubectl's `-o jsonpath` printer over them.
import { JsonPath, JsonPathError, type JsonPathOptions } from './jsonpath/evaluator.js';
import { goQuote, goSyntax } from './jsonpath/formatting.js';

export { JsonPath, JsonPathError, type JsonPathOptions } from './jsonpath/evaluator.js';
export { goSprint } from './jsonpath/formatting.js';
export { relaxedJsonPathExpression } from './jsonpath/parser.js';

/**
 * What kubectl's `-o jsonpath=` prints for `data`. Missing keys print nothing unless
 * `allowMissingKeys` is false; failures carry kubectl's message, with the template and the object.
 */
export function printJsonPath(template: string, data: unknown, opts: JsonPathOptions & { asJson?: boolean } = {}): string {
  let path: JsonPath;
  try {
    path = new JsonPath(template, { allowMissingKeys: opts.allowMissingKeys ?? true });
  } catch (err) {
    throw new JsonPathError(`error parsing jsonpath ${template}, ${(err as Error).message}`);
  }
  try {
    return opts.asJson ? path.executeAsJson(data) : path.execute(data);
  } catch (err) {
    if (!(err instanceof JsonPathError)) throw err;
    throw new JsonPathError(
      `error executing jsonpath ${goQuote(template)}: Error executing template: ${err.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${template}\n` +
        `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`,
    );
  }
}
