import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Selector,
  formatLabelSelector,
  labelSelectorAsSelector,
  labelSelectorFromSet,
  newRequirement,
  parseLabelSelector,
} from '../../src/api/label-selector.js';

const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('parses the string form and prints it in canonical form (sorted by key, values sorted)', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['app=nginx', 'app=nginx'],
    ['app==nginx', 'app==nginx'],
    ['app!=nginx', 'app!=nginx'],
    ['tier in (web, api)', 'tier in (api,web)'],
    ['tier notin (b,a,b)', 'tier notin (a,b)'],
    ['canary', 'canary'],
    ['!canary', '!canary'],
    ['  z=1 , a=2 ', 'a=2,z=1'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['app=', 'app='],
    ['in in (in, notin)', 'in in (in,notin)'],
    ['example.com/role=db', 'example.com/role=db'],
    ['replicas>2,replicas<10', 'replicas>2,replicas<10'],
  ];
  for (const [input, canonical] of cases) {
    assert.equal(parseLabelSelector(input).toString(), canonical, input);
  }
});

test('matches labels with Kubernetes semantics', () => {
  const labels = { app: 'web', tier: 'frontend', replicas: '5', empty: '' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['tier in (frontend,backend)', true],
    ['tier in (backend)', false],
    ['missing in (x)', false],
    ['tier notin (backend)', true],
    ['tier notin (frontend)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['empty=', true],
    ['empty in ()', true],
    ['replicas>4', true],
    ['replicas>5', false],
    ['replicas<6', true],
    ['app>1', false],
    ['missing<1', false],
    ['app=web,tier=backend', false],
    ['app=web,tier=frontend,!canary', true],
  ];
  for (const [selector, expected] of cases) {
    assert.equal(parseLabelSelector(selector).matches(labels), expected, selector);
  }
  assert.equal(parseLabelSelector('app').matches(undefined), false);
  assert.equal(parseLabelSelector('!app').matches(undefined), true);
});

test("rejects bad input with Kubernetes' messages", () => {
  const cases: [string, string][] = [
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a,!', "unable to parse requirement: found '', expected: identifier"],
    ['a>x', `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['k=-bad', `unable to parse requirement: values[0][k]: Invalid value: "-bad": ${LABEL_VALUE_RULE}`],
    ['-k=v', `unable to parse requirement: <nil>: Invalid value: "-k": name part ${NAME_RULE}`],
    ['/k', `unable to parse requirement: <nil>: Invalid value: "/k": prefix part must be non-empty`],
    [
      'a/b/c',
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    [
      `${'k'.repeat(64)}=v`,
      `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`,
    ],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseLabelSelector(input), { message }, input);
  }
});

test('converts a LabelSelector object like LabelSelectorAsSelector', () => {
  const selector = labelSelectorAsSelector({
    matchLabels: { app: 'nginx' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'track', operator: 'Exists' },
      { key: 'canary', operator: 'DoesNotExist' },
    ],
  });
  assert.equal(selector.toString(), 'app=nginx,!canary,env notin (prod),tier in (a,b),track');
  assert.equal(selector.matches({ app: 'nginx', tier: 'a', track: 'x' }), true);
  assert.equal(selector.matches({ app: 'nginx', tier: 'a', track: 'x', canary: 'y' }), false);
  assert.equal(selector.matches({ app: 'nginx', tier: 'c', track: 'x' }), false);
  assert.equal(selector.matches({ app: 'nginx', tier: 'a', track: 'x', env: 'prod' }), false);
});

test('an empty selector object selects everything; a missing one selects nothing', () => {
  for (const empty of [{}, { matchLabels: {} }, { matchLabels: {}, matchExpressions: [] }]) {
    const selector = labelSelectorAsSelector(empty);
    assert.equal(selector.empty, true);
    assert.equal(selector.matches({}), true);
    assert.equal(selector.matches({ any: 'thing' }), true);
  }
  for (const missing of [null, undefined]) {
    const selector = labelSelectorAsSelector(missing);
    assert.equal(selector.empty, false);
    assert.equal(selector.matches({}), false);
    assert.equal(selector.matches({ any: 'thing' }), false);
    assert.equal(selector.toString(), '');
  }
});

test('rejects invalid LabelSelector objects', () => {
  assert.throws(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }), {
    message: '"Equals" is not a valid label selector operator',
  });
  assert.throws(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }), {
    message: "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
  });
  assert.throws(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), {
    message: 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
  });
  assert.throws(() => labelSelectorAsSelector({ matchLabels: { 'bad key': 'v' } }), {
    message: `key: Invalid value: "bad key": name part ${NAME_RULE}`,
  });
});

test('newRequirement reports every problem at once', () => {
  assert.throws(() => newRequirement('-k', '=', ['a', 'b']), {
    message: `[key: Invalid value: "-k": name part ${NAME_RULE}, values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value]`,
  });
});

test('equality-only selectors from a plain map (ReplicationController, Service)', () => {
  const selector = labelSelectorFromSet({ tier: 'web', app: 'nginx' });
  assert.equal(selector.toString(), 'app=nginx,tier=web');
  assert.equal(selector.matches({ app: 'nginx', tier: 'web', extra: 'x' }), true);
  assert.equal(selector.matches({ app: 'nginx' }), false);
  assert.equal(labelSelectorFromSet({}).matches({ a: 'b' }), true);
  assert.equal(labelSelectorFromSet(undefined).empty, true);
});

test('Selector.everything and Selector.nothing', () => {
  assert.equal(Selector.everything().matches({ a: 'b' }), true);
  assert.equal(Selector.nothing().matches({ a: 'b' }), false);
});

test('formatLabelSelector prints what kubectl shows in the SELECTOR column', () => {
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }), 'app=web,tier in (a,b)');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bad' }] }), '<error>');
});
