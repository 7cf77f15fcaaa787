import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/errors.js';
import { parseDeleteOptions, parseListQuery, queryBool, queryInt, queryOptionalBool } from '../../src/apiserver/http/query-options.js';

const q = (s: string) => new URLSearchParams(s);

function rejects(fn: () => unknown, code: number, message: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof ApiError && e.code === code && message.test(e.message));
}

test('booleans: absent, 0 and false (any case) are false; anything else is true', () => {
  for (const v of ['true', 'True', 'TRUE', '1', 'yes', 'y', '']) assert.equal(queryBool(q(`watch=${v}`), 'watch'), true, v);
  for (const v of ['false', 'False', 'FALSE', '0']) assert.equal(queryBool(q(`watch=${v}`), 'watch'), false, v);
  assert.equal(queryBool(q(''), 'watch'), false);
  assert.equal(queryBool(q('watch'), 'watch'), true, 'a bare ?watch is true');
  assert.equal(queryOptionalBool(q(''), 'sendInitialEvents'), undefined);
  assert.equal(queryOptionalBool(q('sendInitialEvents=False'), 'sendInitialEvents'), false);
});

test('integers: empty is unset, anything but an integer is a 400 in Go words', () => {
  assert.equal(queryInt(q('limit=500'), 'limit'), 500);
  assert.equal(queryInt(q('limit='), 'limit'), undefined);
  assert.equal(queryInt(q('timeoutSeconds=-3'), 'timeoutSeconds'), -3);
  rejects(() => queryInt(q('limit=ten'), 'limit'), 400, /^strconv\.ParseInt: parsing "ten": invalid syntax$/);
  rejects(() => queryInt(q('limit=1.5'), 'limit'), 400, /invalid syntax/);
});

test('python-style list and watch parameters decode', () => {
  const w = parseListQuery(q('watch=True&allowWatchBookmarks=True&timeoutSeconds=30&resourceVersion=12&labelSelector=app%3Dx'));
  assert.deepEqual(
    { ...w },
    {
      watch: true,
      allowWatchBookmarks: true,
      sendInitialEvents: undefined,
      resourceVersion: '12',
      timeoutSeconds: 30,
      limit: undefined,
      continue: undefined,
      labelSelector: 'app=x',
      fieldSelector: undefined,
    },
  );
  assert.equal(parseListQuery(q('watch=false')).watch, false);
  assert.equal(parseListQuery(q(''), true).watch, true, 'a /watch/ path is a watch');
});

test('resourceVersionMatch on a list: Kubernetes\' validation errors as an Invalid ListOptions', () => {
  assert.equal(parseListQuery(q('resourceVersion=5&resourceVersionMatch=Exact')).resourceVersionMatch, 'Exact');
  assert.equal(parseListQuery(q('resourceVersion=0&resourceVersionMatch=NotOlderThan')).resourceVersionMatch, 'NotOlderThan');
  rejects(
    () => parseListQuery(q('resourceVersionMatch=Exact')),
    422,
    /^ListOptions\.meta\.k8s\.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided$/,
  );
  rejects(
    () => parseListQuery(q('resourceVersion=0&resourceVersionMatch=Exact')),
    422,
    /resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"/,
  );
  rejects(
    () => parseListQuery(q('resourceVersion=3&resourceVersionMatch=Newest')),
    422,
    /resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""/,
  );
  rejects(
    () => parseListQuery(q('resourceVersion=3&resourceVersionMatch=Exact&continue=abc')),
    422,
    /resourceVersionMatch is forbidden when continue is provided/,
  );
  rejects(() => parseListQuery(q('sendInitialEvents=true')), 422, /sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list/);
  rejects(() => parseListQuery(q('resourceVersion=abc')), 400, /^resourceVersion: Invalid value: "abc"/);
});

test('watch-list parameters: sendInitialEvents needs NotOlderThan and the match needs sendInitialEvents', () => {
  const wl = parseListQuery(q('watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true'));
  assert.equal(wl.sendInitialEvents, true);
  assert.equal(wl.resourceVersionMatch, 'NotOlderThan');
  rejects(
    () => parseListQuery(q('watch=1&sendInitialEvents=true')),
    422,
    /resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/,
  );
  rejects(
    () => parseListQuery(q('watch=1&resourceVersion=4&resourceVersionMatch=NotOlderThan')),
    422,
    /resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided/,
  );
  rejects(
    () => parseListQuery(q('watch=1&sendInitialEvents=true&resourceVersionMatch=Exact')),
    422,
    /\[resourceVersionMatch: Forbidden: sendInitialEvents requires .*, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"\]/,
  );
});

test('delete options: orphanDependents is the old spelling of propagationPolicy=Orphan', () => {
  assert.deepEqual(parseDeleteOptions(q('orphanDependents=True'), {}), { propagationPolicy: 'Orphan', orphanDependents: true });
  assert.deepEqual(parseDeleteOptions(q('orphanDependents=false'), {}), { propagationPolicy: 'Background', orphanDependents: false });
  assert.deepEqual(parseDeleteOptions(q(''), { orphanDependents: true }), { propagationPolicy: 'Orphan', orphanDependents: true });
  assert.deepEqual(parseDeleteOptions(q('propagationPolicy=Foreground&gracePeriodSeconds=0'), {}), {
    propagationPolicy: 'Foreground',
    gracePeriodSeconds: 0,
  });
  assert.deepEqual(parseDeleteOptions(q('propagationPolicy=Orphan'), { propagationPolicy: 'Background' }).propagationPolicy, 'Background', 'the body wins');
  rejects(
    () => parseDeleteOptions(q('orphanDependents=true&propagationPolicy=Background'), {}),
    422,
    /^DeleteOptions\.meta\.k8s\.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set$/,
  );
  rejects(
    () => parseDeleteOptions(q(''), { propagationPolicy: 'Sometimes' }),
    422,
    /propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"/,
  );
  rejects(() => parseDeleteOptions(q('gracePeriodSeconds=soon'), {}), 400, /invalid syntax/);
});
