import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printJoinTokens } from '../../src/cli/printers/join-tokens.js';
import { shortHumanDuration } from '../../src/api/printers/duration.js';
import { parseGoDuration } from '../../src/cli/go-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test("shortHumanDuration is apimachinery's: one truncated unit", () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1 * S, '0s'],
    [59 * S, '59s'],
    [60 * S, '1m'],
    [59 * M + 59 * S, '59m'],
    [23 * H + 59 * M, '23h'],
    [24 * H, '1d'],
    [364 * D, '364d'],
    [730 * D, '2y'],
  ];
  for (const [ms, want] of cases) assert.equal(shortHumanDuration(ms), want, String(ms));
});

test('token list prints kubeadm\'s columns, <forever>/<never> and <none>', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const out = printJoinTokens(
    [
      { id: 'abcdef', secret: '0123456789abcdef', usages: ['authentication'], extraGroups: [], expiration: '2025-01-01T23:30:00Z', description: 'for the nodes' },
      { id: 'zyxwvu', secret: '9876543210zyxwvu', usages: ['authentication', 'signing'], extraGroups: ['system:bootstrappers:kubeadm:default-node-token'] },
    ],
    now,
  );
  assert.equal(
    out,
    'TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION     EXTRA GROUPS\n' +
      'abcdef.0123456789abcdef   23h         2025-01-01T23:30:00Z   authentication           for the nodes   <none>\n' +
      'zyxwvu.9876543210zyxwvu   <forever>   <never>                authentication,signing   <none>          system:bootstrappers:kubeadm:default-node-token\n',
  );
  // Go's tabwriter with kubeadm's minimum width of 10.
  assert.equal(printJoinTokens([], now), 'TOKEN     TTL       EXPIRES   USAGES    DESCRIPTION   EXTRA GROUPS\n', 'the header alone');
});

test('--ttl takes Go durations with Go\'s messages', () => {
  const cases: [string, number][] = [
    ['24h0m0s', 24 * H],
    ['1h30m', 90 * M],
    ['1.5h', 90 * M],
    ['90s', 90 * S],
    ['300ms', 300],
    ['0', 0],
  ];
  for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
  const errors: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['2', 'time: missing unit in duration "2"'],
    ['2d', 'time: unknown unit "d" in duration "2d"'],
    ['h', 'time: invalid duration "h"'],
  ];
  for (const [text, message] of errors) assert.throws(() => parseGoDuration(text), { message }, text);
});
