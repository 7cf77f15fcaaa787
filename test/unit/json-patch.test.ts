import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from '../../src/api/patch/json-patch.js';
import { ApiError } from '../../src/api/errors.js';

test('RFC 6902 appendix A examples that succeed', () => {
  const cases: [string, unknown, unknown[], unknown][] = [
    ['A.1 add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'A.6 move a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['A.7 move an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    [
      'A.8 test a value',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    ['A.10 add a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignore unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.16 add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    ['add replaces an existing member', { a: 1 }, [{ op: 'add', path: '/a', value: 2 }], { a: 2 }],
    ['add at the end index', { a: [1] }, [{ op: 'add', path: '/a/1', value: 2 }], { a: [1, 2] }],
    ['copy', { a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: [1] }, c: { b: [1] } }],
    ['replace the whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 }],
    [
      'label keys with a slash',
      { metadata: { labels: { 'app.kubernetes.io/name': 'web' } } },
      [{ op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'api' }],
      { metadata: { labels: { 'app.kubernetes.io/name': 'api' } } },
    ],
    ['test deep equality regardless of key order', { a: { x: 1, y: [1, { z: 2 }] } }, [{ op: 'test', path: '/a', value: { y: [1, { z: 2 }], x: 1 } }], { a: { x: 1, y: [1, { z: 2 }] } }],
    ['test null', { a: null }, [{ op: 'test', path: '/a', value: null }], { a: null }],
  ];
  for (const [name, doc, patch, expected] of cases) {
    assert.deepEqual(applyJsonPatch(doc, patch), expected, name);
  }
});

test('failures abort the whole patch with a 422 and a clear message', () => {
  const cases: [string, unknown, unknown[], string][] = [
    ['A.9 test a value (error)', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'testing value /baz failed: test failed'],
    ['A.12 add to a nonexistent target', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'add operation does not apply: doc is missing path: "/baz/bat": missing value'],
    ['A.15 comparing strings and numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], 'testing value /~01 failed: test failed'],
    ['remove a missing member', { a: 1 }, [{ op: 'remove', path: '/b' }], "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"],
    ['remove past the end', { a: [1] }, [{ op: 'remove', path: '/a/1' }], 'Unable to access invalid index: 1: invalid index referenced'],
    ['replace a missing member', { a: 1 }, [{ op: 'replace', path: '/b', value: 2 }], 'replace operation does not apply: doc is missing key: /b: missing value'],
    ['add beyond the end', { a: [1] }, [{ op: 'add', path: '/a/3', value: 2 }], 'Unable to access invalid index: 3: invalid index referenced'],
    ['add with a non-numeric index', { a: [1] }, [{ op: 'add', path: '/a/x', value: 2 }], 'Unable to access invalid index: x: invalid index referenced'],
    ['index with a leading zero', { a: [1, 2] }, [{ op: 'replace', path: '/a/01', value: 3 }], 'Unable to access invalid index: 01: invalid index referenced'],
    ['move from a missing member', { a: 1 }, [{ op: 'move', from: '/b', path: '/c' }], 'move operation does not apply: doc is missing from path: "/b": missing value'],
    ['copy from a missing member', { a: 1 }, [{ op: 'copy', from: '/b', path: '/c' }], 'copy operation does not apply: doc is missing from path: "/b": missing value'],
    ['move into its own child', { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], 'move operation does not apply: from path /a is a prefix of path /a/b/c'],
    ['test a missing member', { a: 1 }, [{ op: 'test', path: '/b', value: 1 }], 'test operation does not apply: doc is missing path: "/b": missing value'],
    ['walk through a scalar', { a: 1 }, [{ op: 'add', path: '/a/b', value: 1 }], 'add operation does not apply: doc is missing path: "/a/b": missing value'],
  ];
  for (const [name, doc, patch, message] of cases) {
    const before = structuredClone(doc);
    assert.throws(() => applyJsonPatch(doc, patch), (e: unknown) => e instanceof ApiError && e.code === 422 && e.message === message, name);
    assert.deepEqual(doc, before, `${name}: document untouched`);
  }
});

test('a failing operation discards the earlier ones', () => {
  const doc = { a: 1 };
  assert.throws(() =>
    applyJsonPatch(doc, [
      { op: 'add', path: '/b', value: 2 },
      { op: 'test', path: '/a', value: 2 },
    ]),
  );
  assert.deepEqual(doc, { a: 1 });
});

test('malformed patches are 400 BadRequest', () => {
  const cases: [unknown, string][] = [
    [{ op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    [['add'], 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
    [[{ op: 'frob', path: '/a' }], 'Unexpected kind: frob'],
    [[{ path: '/a' }], 'Unexpected kind: unknown'],
    [[{ op: 'add', value: 1 }], 'add operation failed to decode path: missing value'],
    [[{ op: 'add', path: '/a' }], 'add operation, missing value field: missing value'],
    [[{ op: 'move', path: '/a' }], 'move operation failed to decode from: missing value'],
    [[{ op: 'add', path: 'a', value: 1 }], `invalid JSON pointer "a": it must be empty or start with '/'`],
    [[{ op: 'add', path: '/a~2', value: 1 }], `invalid JSON pointer "/a~2": '~' must be escaped as '~0'`],
  ];
  for (const [patch, message] of cases) {
    assert.throws(() => applyJsonPatch({}, patch), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === message, message);
  }
});

test('added values are copies, so later operations cannot reach back into the patch', () => {
  const value = { list: [1] };
  const patch = [
    { op: 'add', path: '/a', value },
    { op: 'add', path: '/a/list/-', value: 2 },
  ];
  assert.deepEqual(applyJsonPatch({}, patch), { a: { list: [1, 2] } });
  assert.deepEqual(value, { list: [1] });
});
