import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { systemPriorityClasses } from '../../src/api/priority.js';
import { admitPodPriority, admitPriorityClass } from '../../src/apiserver/registry/priority-admission.js';
import { priorityClassStrategy } from '../../src/apiserver/registry/strategies/priorityclass.js';
import { pod } from '../helpers/builders.js';

const pc = (name: string, value: number, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });

test('Priority admission: the class resolves to spec.priority and its preemptionPolicy; unknown classes are refused', () => {
  const classes = [...systemPriorityClasses(), pc('high', 1000, { preemptionPolicy: 'PreemptLowerPriority' }), pc('polite', 500, { preemptionPolicy: 'Never' })];
  const high = pod('p', { spec: { priorityClassName: 'high' } });
  admitPodPriority(high, classes);
  assert.equal(high.spec.priority, 1000);
  assert.equal(high.spec.preemptionPolicy, 'PreemptLowerPriority');
  const polite = pod('p', { spec: { priorityClassName: 'polite' } });
  admitPodPriority(polite, classes);
  assert.equal(polite.spec.preemptionPolicy, 'Never');
  const critical = pod('p', { spec: { priorityClassName: 'system-node-critical' } });
  admitPodPriority(critical, classes);
  assert.equal(critical.spec.priority, 2000001000);
  const plain = pod('p');
  admitPodPriority(plain, classes);
  assert.equal(plain.spec.priority, 0);
  assert.equal(plain.spec.priorityClassName, undefined);
  assert.throws(() => admitPodPriority(pod('p', { spec: { priorityClassName: 'nope' } }), classes), { reason: 'Forbidden', message: 'pods "p" is forbidden: no PriorityClass with name nope was found' });
  assert.throws(() => admitPodPriority(pod('p', { spec: { priorityClassName: 'high', priority: 7 } }), classes), {
    message: 'pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
  });
});

test('Priority admission: the globalDefault class for pods naming none; only one default', () => {
  const classes = [pc('dflt', 10, { globalDefault: true }), pc('other', 20)];
  const p = pod('p');
  admitPodPriority(p, classes);
  assert.equal(p.spec.priorityClassName, 'dflt');
  assert.equal(p.spec.priority, 10);
  assert.throws(() => admitPriorityClass(pc('second', 5, { globalDefault: true }), classes), {
    message: 'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass dflt is already marked as default. Only one default can exist',
  });
  admitPriorityClass(pc('dflt', 10, { globalDefault: true }), classes);
});

test('PriorityClass validation: system- names reserved, user values at most 1e9, value fixed', () => {
  const check = (obj: KubeObject) => {
    priorityClassStrategy.applyDefaults(obj);
    return priorityClassStrategy.validate(obj).map((c) => `${c.field}: ${c.message}`);
  };
  assert.deepEqual(check(pc('ok', 1_000_000_000)), []);
  assert.equal(pc('ok', 1).preemptionPolicy, undefined);
  const defaulted = pc('ok', 1);
  priorityClassStrategy.applyDefaults(defaulted);
  assert.equal(defaulted.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(check(pc('big', 1_000_000_001)), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  assert.deepEqual(check(pc('system-mine', 1)), ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"]);
  for (const sys of systemPriorityClasses()) assert.deepEqual(check(sys), []);
  assert.deepEqual(
    priorityClassStrategy.validateUpdate!(pc('ok', 2, { preemptionPolicy: 'PreemptLowerPriority' }), pc('ok', 1, { preemptionPolicy: 'PreemptLowerPriority' })).map((c) => `${c.field}: ${c.message}`),
    ['value: Forbidden: may not be changed in an update.'],
  );
});
