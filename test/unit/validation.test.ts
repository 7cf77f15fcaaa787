import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, StatusCause } from '../../src/api/types.js';
import { findByKind, RESOURCES, type ResourceType } from '../../src/api/resources.js';
import { validateSchema } from '../../src/apiserver/registry/schema-validator.js';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
} from '../../src/api/validation/names.js';
import { validateObjectMetaNames } from '../../src/apiserver/registry/names.js';
import { strategyFor } from '../../src/apiserver/registry/strategies/index.js';
import { cronScheduleError } from '../../src/api/cron/schedule.js';
import { base64Error } from '../../src/apiserver/registry/strategies/config-data.js';
import { djangoDeployment } from '../helpers/registry-fixtures.js';
import { pod } from '../helpers/builders.js';

const kind = (name: string): ResourceType => findByKind(name)!;

// The pod the spec cases change: the causes name its container web.
const WEB = { metadata: { namespace: 'default' }, container: { name: 'web', image: 'nginx:1.25' } };

/** Defaults then semantic validation, as the registry runs them after the schema. */
function semanticCauses(obj: KubeObject): StatusCause[] {
  const strategy = strategyFor(kind(obj.kind!));
  strategy.applyDefaults(obj);
  return strategy.validate(obj);
}

const fields = (causes: StatusCause[]) => causes.map((c) => c.field);

function set(obj: KubeObject, path: string, value: unknown): KubeObject {
  const keys = path.split('.');
  let target: any = obj;
  for (const key of keys.slice(0, -1)) target = target[key];
  target[keys[keys.length - 1]] = value;
  return obj;
}

// ---- schema ----------------------------------------------------------------------------------

test('schema: every catalogue kind has a validator that accepts a minimal object', () => {
  const minimal: Record<string, Record<string, unknown>> = {
    Pod: { spec: { containers: [{ name: 'c' }] } },
    Event: { involvedObject: {} },
    Deployment: { spec: { selector: {}, template: {} } },
    ReplicaSet: { spec: { selector: {} } },
    Job: { spec: { template: {} } },
    CronJob: { spec: { schedule: '* * * * *', jobTemplate: {} } },
    HorizontalPodAutoscaler: { spec: { maxReplicas: 1, scaleTargetRef: { kind: 'Deployment', name: 'web' } } },
    EndpointSlice: { addressType: 'IPv4', endpoints: [] },
    CertificateSigningRequest: { spec: { request: '', signerName: 'example.com/x' } },
    RoleBinding: { roleRef: { kind: 'Role', name: 'r' } },
    ClusterRoleBinding: { roleRef: { kind: 'ClusterRole', name: 'r' } },
    StatefulSet: { spec: { selector: {}, template: {}, serviceName: 'web' } },
    DaemonSet: { spec: { selector: {}, template: {} } },
    ControllerRevision: { revision: 1 },
    PriorityClass: { value: 1 },
    StorageClass: { provisioner: 'rancher.io/local-path' },
    CustomResourceDefinition: { spec: { group: 'example.com', names: { plural: 'widgets', kind: 'Widget' }, scope: 'Namespaced', versions: [] } },
  };
  for (const r of RESOURCES) {
    const obj = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, metadata: { name: 'x' }, ...minimal[r.kind] };
    assert.deepEqual(validateSchema(r, obj), [], r.kind);
  }
});

test('schema: the Django deployment is valid', () => {
  assert.deepEqual(validateSchema(kind('Deployment'), djangoDeployment()), []);
});

test('schema: one cause per wrong field, with its Kubernetes path and reason', () => {
  const cases: { name: string; path: string; value: unknown; cause: StatusCause }[] = [
    {
      name: 'string for an integer',
      path: 'spec.replicas',
      value: 'x',
      cause: { field: 'spec.replicas', reason: 'FieldValueTypeInvalid', message: 'Invalid value: "x": must be integer' },
    },
    {
      name: 'fraction for an integer',
      path: 'spec.replicas',
      value: 1.5,
      cause: { field: 'spec.replicas', reason: 'FieldValueTypeInvalid', message: 'Invalid value: 1.5: must be integer' },
    },
    {
      name: 'number for a string deep down',
      path: 'spec.template.spec.containers.0.image',
      value: 42,
      cause: { field: 'spec.template.spec.containers[0].image', reason: 'FieldValueTypeInvalid', message: 'Invalid value: 42: must be string' },
    },
    {
      name: 'object for a list',
      path: 'spec.template.spec.containers',
      value: { name: 'django' },
      cause: { field: 'spec.template.spec.containers', reason: 'FieldValueTypeInvalid', message: 'Invalid value: {"name":"django"}: must be array' },
    },
    {
      name: 'non-string label value, keyed by the label',
      path: 'spec.template.metadata.labels',
      value: { 'app.kubernetes.io/name': 3 },
      cause: {
        field: 'spec.template.metadata.labels[app.kubernetes.io/name]',
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: 3: must be string',
      },
    },
    {
      name: 'IntOrString given a boolean',
      path: 'spec.strategy',
      value: { rollingUpdate: { maxSurge: true } },
      cause: {
        field: 'spec.strategy.rollingUpdate.maxSurge',
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: true: must be integer or string',
      },
    },
    {
      name: 'malformed quantity',
      path: 'spec.template.spec.containers.0.resources',
      value: { limits: { cpu: 'lots' } },
      cause: {
        field: 'spec.template.spec.containers[0].resources.limits[cpu]',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "lots": must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      },
    },
    {
      name: 'unsupported enum value',
      path: 'spec.template.spec.restartPolicy',
      value: 'Sometimes',
      cause: {
        field: 'spec.template.spec.restartPolicy',
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      },
    },
    {
      name: 'unsupported protocol',
      path: 'spec.template.spec.containers.0.ports.0.protocol',
      value: 'tcp',
      cause: {
        field: 'spec.template.spec.containers[0].ports[0].protocol',
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
      },
    },
    {
      name: 'unknown field at the top',
      path: 'spc',
      value: {},
      cause: { field: 'spc', reason: 'FieldValueInvalid', message: 'unknown field "spc"' },
    },
    {
      name: 'unknown field in the spec',
      path: 'spec.foo',
      value: 1,
      cause: { field: 'spec.foo', reason: 'FieldValueInvalid', message: 'unknown field "spec.foo"' },
    },
    {
      name: 'unknown field in a container',
      path: 'spec.template.spec.containers.0.imagePullPolicyy',
      value: 'Always',
      cause: {
        field: 'spec.template.spec.containers[0].imagePullPolicyy',
        reason: 'FieldValueInvalid',
        message: 'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      },
    },
    {
      name: 'unknown field in metadata',
      path: 'metadata.label',
      value: { a: 'b' },
      cause: { field: 'metadata.label', reason: 'FieldValueInvalid', message: 'unknown field "metadata.label"' },
    },
    {
      name: 'missing required field',
      path: 'spec.template.spec.containers.0.env.0.name',
      value: undefined,
      cause: { field: 'spec.template.spec.containers[0].env[0].name', reason: 'FieldValueRequired', message: 'Required value' },
    },
    {
      name: 'wrong apiVersion',
      path: 'apiVersion',
      value: 'extensions/v1beta1',
      cause: { field: 'apiVersion', reason: 'FieldValueNotSupported', message: 'Unsupported value: "extensions/v1beta1": supported values: "apps/v1"' },
    },
  ];
  for (const c of cases) {
    const obj = set(djangoDeployment(), c.path, c.value);
    assert.deepEqual(validateSchema(kind('Deployment'), obj), [c.cause], c.name);
  }
});

test('schema: several problems give several causes', () => {
  const obj = djangoDeployment();
  obj.spec.replicas = 'three';
  obj.spec.paused = 'yes';
  delete obj.spec.selector;
  obj.spec.template.spec.containers[0].bogus = true;
  assert.deepEqual(fields(validateSchema(kind('Deployment'), obj)).sort(), [
    'spec.paused',
    'spec.replicas',
    'spec.selector',
    'spec.template.spec.containers[0].bogus',
  ]);
});

test('schema: null means unset, as kubectl writes it; a missing required field stays required', () => {
  const obj = djangoDeployment();
  Object.assign(obj.metadata, { creationTimestamp: null });
  obj.spec.template.metadata.creationTimestamp = null;
  obj.spec.strategy = null;
  assert.deepEqual(validateSchema(kind('Deployment'), obj), []);
  obj.spec.selector = null;
  assert.deepEqual(validateSchema(kind('Deployment'), obj), [{ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' }]);
});

test('schema: an empty string for an enum is left for defaulting', () => {
  assert.deepEqual(validateSchema(kind('Pod'), pod('web', { ...WEB, spec: { restartPolicy: '' } })), []);
});

test('schema: quantities may be numbers, IntOrString may be either', () => {
  const obj = djangoDeployment();
  obj.spec.template.spec.containers[0].resources = { limits: { cpu: 1, memory: '512Mi' }, requests: { cpu: '250m' } };
  obj.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '0%' } };
  assert.deepEqual(validateSchema(kind('Deployment'), obj), []);
});

// ---- names -----------------------------------------------------------------------------------

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

test('names: Kubernetes name rules and messages', () => {
  const cases: { check: (v: string) => string[]; value: string; errors: string[] }[] = [
    { check: isDNS1123Subdomain, value: 'django', errors: [] },
    { check: isDNS1123Subdomain, value: 'web.example.com', errors: [] },
    { check: isDNS1123Subdomain, value: 'Django', errors: [SUBDOMAIN_MESSAGE] },
    { check: isDNS1123Subdomain, value: 'web-', errors: [SUBDOMAIN_MESSAGE] },
    { check: isDNS1123Subdomain, value: 'a'.repeat(253), errors: [] },
    { check: isDNS1123Subdomain, value: 'a'.repeat(254), errors: ['must be no more than 253 characters'] },
    { check: isDNS1123Label, value: 'kube-system', errors: [] },
    { check: isDNS1123Label, value: '123-abc', errors: [] },
    { check: isDNS1123Label, value: 'my.namespace', errors: ['must not contain dots'] },
    { check: isDNS1123Label, value: 'My_NS', errors: [LABEL_MESSAGE] },
    { check: isDNS1123Label, value: 'a'.repeat(64), errors: ['must be no more than 63 characters'] },
    { check: isDNS1035Label, value: 'postgres', errors: [] },
    { check: isDNS1035Label, value: '1postgres', errors: [DNS1035_MESSAGE] },
  ];
  for (const c of cases) assert.deepEqual(c.check(c.value), c.errors, `${c.check.name}(${c.value})`);
});

const NAME_PART_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('names: label keys and values', () => {
  const keyCases: [string, string[]][] = [
    ['app', []],
    ['app.kubernetes.io/name', []],
    ['/name', ['prefix part must be non-empty']],
    ['Example.com/name', [`prefix part ${SUBDOMAIN_MESSAGE}`]],
    ['app/', ['name part must be non-empty', NAME_PART_MESSAGE]],
    ['-app', [NAME_PART_MESSAGE]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
  ];
  for (const [key, errors] of keyCases) assert.deepEqual(isQualifiedName(key), errors, key);
  assert.match(isQualifiedName('a/b/c')[0], /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  const valueCases: [string, number][] = [
    ['', 0],
    ['v1.2_3-x', 0],
    ['-x', 1],
    ['x'.repeat(64), 1],
  ];
  for (const [value, count] of valueCases) assert.equal(isValidLabelValue(value).length, count, value);
});

test('names: port names and data keys', () => {
  const portCases: [string, string[]][] = [
    ['http', []],
    ['metrics-9090', []],
    ['HTTP', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
    ['8080', ['must contain at least one letter (a-z)']],
    ['my--port', ['must not contain consecutive hyphens']],
    ['-web', ['must not begin or end with a hyphen']],
    ['a-very-long-port-name', ['must be no more than 15 characters']],
  ];
  for (const [name, errors] of portCases) assert.deepEqual(isValidPortName(name), errors, name);
  const keyCases: [string, number][] = [
    ['settings.py', 0],
    ['DATABASE_URL', 0],
    ['.env', 0],
    ['..data', 1],
    ['..', 1],
    ['a/b', 1],
  ];
  for (const [key, count] of keyCases) assert.equal(isConfigMapKey(key).length, count, key);
});

test('names: object metadata per kind', () => {
  const meta = (k: string, metadata: Record<string, unknown>) =>
    validateObjectMetaNames(kind(k), { apiVersion: 'v1', kind: k, metadata } as KubeObject);
  assert.deepEqual(meta('Deployment', { name: 'django', namespace: 'default' }), []);
  assert.deepEqual(meta('Deployment', { name: 'Django', namespace: 'default' }), [
    { field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "Django": ${SUBDOMAIN_MESSAGE}` },
  ]);
  assert.deepEqual(meta('ConfigMap', { name: 'web.config', namespace: 'default' }), []);
  assert.deepEqual(fields(meta('Namespace', { name: 'team.a' })), ['metadata.name']);
  assert.deepEqual(meta('Service', { name: '9lives', namespace: 'default' }), [
    { field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "9lives": ${DNS1035_MESSAGE}` },
  ]);
  assert.deepEqual(meta('Pod', { generateName: 'web-', namespace: 'default' }), [], 'trailing dash of generateName');
  assert.deepEqual(fields(meta('Pod', { generateName: 'Web-', namespace: 'default' })), ['metadata.generateName']);
  assert.deepEqual(meta('Pod', { name: 'web' }), [{ field: 'metadata.namespace', reason: 'FieldValueRequired', message: 'Required value' }]);
  assert.deepEqual(meta('Node', { name: 'node-1', namespace: 'default' }), [
    { field: 'metadata.namespace', reason: 'FieldValueForbidden', message: 'Forbidden: not allowed on this type' },
  ]);
  assert.deepEqual(fields(meta('Pod', { name: 'web', namespace: 'default', labels: { 'bad key': 'ok', app: 'bad value!' } })), [
    'metadata.labels',
    'metadata.labels',
  ]);
  assert.deepEqual(fields(meta('Pod', { name: 'web', namespace: 'default', annotations: { 'Example.com/Note': 'x', 'a b': 'x' } })), [
    'metadata.annotations',
  ]);
});

// ---- semantic validation ---------------------------------------------------------------------

test('deployment: the selector must match the template labels', () => {
  assert.deepEqual(semanticCauses(djangoDeployment()), []);
  const mismatched = djangoDeployment();
  mismatched.spec.template.metadata.labels = { pod: 'web', tier: 'frontend' };
  assert.deepEqual(semanticCauses(mismatched), [
    {
      field: 'spec.template.metadata.labels',
      reason: 'FieldValueInvalid',
      message: 'Invalid value: map[string]string{"pod":"web", "tier":"frontend"}: `selector` does not match template `labels`',
    },
  ]);
  const expressions = djangoDeployment();
  expressions.spec.selector = { matchExpressions: [{ key: 'pod', operator: 'In', values: ['django', 'celery'] }] };
  assert.deepEqual(semanticCauses(expressions), []);
});

test('deployment: selector, replicas, strategy and template rules', () => {
  const cases: { name: string; change: (d: KubeObject) => void; causes: StatusCause[] }[] = [
    {
      name: 'empty selector',
      change: (d) => (d.spec.selector = {}),
      causes: [
        {
          field: 'spec.selector',
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
        },
      ],
    },
    {
      name: 'negative replicas',
      change: (d) => (d.spec.replicas = -1),
      causes: [{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' }],
    },
    {
      name: 'In without values, which also cannot become a selector',
      change: (d) => (d.spec.selector = { matchLabels: { pod: 'django' }, matchExpressions: [{ key: 'tier', operator: 'In' }] }),
      causes: [
        {
          field: 'spec.selector.matchExpressions[0].values',
          reason: 'FieldValueRequired',
          message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        },
        {
          field: 'spec.selector',
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"pod":"django"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string(nil)}}}: invalid label selector',
        },
      ],
    },
    {
      name: 'pods of a deployment always restart',
      change: (d) => (d.spec.template.spec.restartPolicy = 'OnFailure'),
      causes: [
        { field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported', message: 'Unsupported value: "OnFailure": supported values: "Always"' },
      ],
    },
    {
      name: 'rolling update cannot stand still',
      change: (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }),
      causes: [{ field: 'spec.strategy.rollingUpdate.maxUnavailable', reason: 'FieldValueInvalid', message: 'Invalid value: 0%: may not be 0 when `maxSurge` is 0' }],
    },
    {
      name: 'Recreate takes no rolling update parameters',
      change: (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
      causes: [
        { field: 'spec.strategy.rollingUpdate', reason: 'FieldValueForbidden', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" },
      ],
    },
    {
      name: 'progress deadline after minReadySeconds',
      change: (d) => Object.assign(d.spec, { minReadySeconds: 30, progressDeadlineSeconds: 30 }),
      causes: [{ field: 'spec.progressDeadlineSeconds', reason: 'FieldValueInvalid', message: 'Invalid value: 30: must be greater than minReadySeconds' }],
    },
    {
      name: 'invalid template label',
      change: (d) => (d.spec.template.metadata.labels['bad key'] = 'x'),
      causes: [{ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid', message: `Invalid value: "bad key": ${NAME_PART_MESSAGE}` }],
    },
  ];
  for (const c of cases) {
    const d = djangoDeployment();
    c.change(d);
    assert.deepEqual(semanticCauses(d), c.causes, c.name);
  }
});

test('pod spec: containers, ports, volumes, probes and resources', () => {
  const cases: { name: string; spec: Record<string, unknown>; causes: [string, string][] }[] = [
    { name: 'no containers', spec: { containers: [] }, causes: [['spec.containers', 'Required value']] },
    {
      name: 'duplicate container names across init and regular containers',
      spec: { initContainers: [{ name: 'web', image: 'busybox' }] },
      causes: [['spec.initContainers[0].name', 'Duplicate value: "web"']],
    },
    { name: 'no image', spec: { containers: [{ name: 'web' }] }, causes: [['spec.containers[0].image', 'Required value']] },
    { name: 'invalid container name', spec: { containers: [{ name: 'Web', image: 'nginx' }] }, causes: [['spec.containers[0].name', `Invalid value: "Web": ${LABEL_MESSAGE}`]] },
    {
      name: 'port out of range',
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 70000 }] }] },
      causes: [['spec.containers[0].ports[0].containerPort', 'Invalid value: 70000: must be between 1 and 65535, inclusive']],
    },
    {
      name: 'invalid and duplicate port names',
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }, { name: 'HTTPS', containerPort: 443 }] }] },
      causes: [
        ['spec.containers[0].ports[1].name', 'Duplicate value: "http"'],
        ['spec.containers[0].ports[2].name', 'Invalid value: "HTTPS": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
        ['spec.containers[0].ports[2].name', 'Invalid value: "HTTPS": must contain at least one letter (a-z)'],
      ],
    },
    {
      name: 'mount of an unknown volume',
      spec: { containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
      causes: [['spec.containers[0].volumeMounts[0].name', 'Not found: "data"']],
    },
    {
      name: 'duplicate volumes',
      spec: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }] },
      causes: [['spec.volumes[1].name', 'Duplicate value: "data"']],
    },
    {
      name: 'probe without a handler',
      spec: { containers: [{ name: 'web', image: 'nginx', livenessProbe: { periodSeconds: 5 } }] },
      causes: [['spec.containers[0].livenessProbe', 'Required value: must specify a handler type']],
    },
    {
      name: 'request above limit',
      spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '600m' }, limits: { cpu: '500m' } } }] },
      causes: [['spec.containers[0].resources.requests', 'Invalid value: "600m": must be less than or equal to cpu limit of 500m']],
    },
  ];
  for (const c of cases) {
    const causes = semanticCauses(pod('web', { ...WEB, spec: c.spec }));
    assert.deepEqual(causes.map((x) => [x.field, x.message]), c.causes, c.name);
  }
});

test('pod: only images, the deadline and new tolerations change on update', () => {
  const strategy = strategyFor(kind('Pod'));
  const old = pod('web', { ...WEB, spec: { tolerations: [{ key: 'dedicated', operator: 'Exists' }] } });
  strategy.applyDefaults(old);
  const newImage = structuredClone(old);
  newImage.spec.containers[0].image = 'nginx:1.26';
  newImage.spec.tolerations.push({ key: 'gpu', operator: 'Exists' });
  assert.deepEqual(strategy.validateUpdate!(newImage, old), []);
  const newPort = structuredClone(old);
  newPort.spec.containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
  const [cause] = strategy.validateUpdate!(newPort, old);
  assert.equal(cause.field, 'spec');
  assert.match(cause.message, /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  const lostToleration = structuredClone(old);
  lostToleration.spec.tolerations = [];
  assert.deepEqual(fields(strategy.validateUpdate!(lostToleration, old)), ['spec.tolerations']);
});

test('job: run-to-completion pods and a generated selector', () => {
  const job = (): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'j1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  });
  assert.deepEqual(semanticCauses(job()), []);
  const always = job();
  delete always.spec.template.spec.restartPolicy;
  assert.deepEqual(semanticCauses(always), [
    { field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported', message: 'Unsupported value: "Always": supported values: "OnFailure", "Never"' },
  ]);
  const ownSelector = job();
  ownSelector.spec.selector = { matchLabels: { app: 'pi' } };
  ownSelector.spec.template.metadata = { labels: { app: 'pi' } };
  assert.deepEqual(fields(semanticCauses(ownSelector)), ['spec.selector'], 'a selector of its own needs manualSelector');
  const manual = structuredClone(ownSelector);
  manual.spec.manualSelector = true;
  assert.deepEqual(semanticCauses(manual), []);
  const wrongName = job();
  wrongName.spec.template.metadata = { labels: { 'job-name': 'other' } };
  assert.deepEqual(semanticCauses(wrongName).map((c) => [c.field, c.message]), [
    ['spec.template.metadata.labels[job-name]', `Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"j1", "batch.kubernetes.io/job-name":"pi", "controller-uid":"j1", "job-name":"other"}: must be 'pi'`],
  ]);
});

test('job: selector and template are fixed after create', () => {
  const strategy = strategyFor(kind('Job'));
  const old: KubeObject = {
    metadata: { name: 'pi', namespace: 'default', uid: 'j1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  };
  strategy.applyDefaults(old);
  const same = structuredClone(old);
  same.spec.parallelism = 2;
  assert.deepEqual(strategy.validateUpdate!(same, old), []);
  const newImage = structuredClone(old);
  newImage.spec.template.spec.containers[0].image = 'perl:5.36';
  assert.deepEqual(fields(strategy.validateUpdate!(newImage, old)), ['spec.template']);
  const suspended = structuredClone(old);
  suspended.spec.suspend = true;
  const retargeted = structuredClone(suspended);
  retargeted.spec.template.spec.nodeSelector = { disk: 'ssd' };
  assert.deepEqual(strategy.validateUpdate!(retargeted, suspended), [], 'a suspended job may be re-targeted');
});

test('cronjob: schedule, time zone and name length', () => {
  const cronJob = (spec: Record<string, unknown>, name = 'backup'): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'b', image: 'busybox' }] } } } },
      ...spec,
    },
  });
  assert.deepEqual(semanticCauses(cronJob({})), []);
  assert.deepEqual(semanticCauses(cronJob({ timeZone: 'Europe/Paris', schedule: '@daily' })), []);
  assert.deepEqual(semanticCauses(cronJob({ schedule: 'every day' })).map((c) => c.message), [
    'Invalid value: "every day": expected exactly 5 fields, found 2: [every day]',
  ]);
  assert.deepEqual(semanticCauses(cronJob({ timeZone: 'Mars/Olympus' })).map((c) => c.message), ['Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  assert.deepEqual(fields(semanticCauses(cronJob({}, 'b'.repeat(53)))), ['metadata.name']);
});

test('cron schedules, in the parser words Kubernetes reports', () => {
  const cases: [string, string | undefined][] = [
    ['0 3 * * 1-5', undefined],
    ['*/15 9-17 * jan-jun mon,wed,fri', undefined],
    ['@hourly', undefined],
    ['@every 1h30m', undefined],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ];
  for (const [schedule, error] of cases) assert.equal(cronScheduleError(schedule), error, schedule);
});

test('service: ports, node ports and the fixed cluster IP', () => {
  const service = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'postgres', namespace: 'default' },
    spec: { selector: { app: 'postgres' }, ports: [{ port: 5432 }], ...spec },
  });
  assert.deepEqual(semanticCauses(service({})), []);
  const cases: { name: string; spec: Record<string, unknown>; causes: [string, string][] }[] = [
    { name: 'no ports', spec: { ports: [] }, causes: [['spec.ports', 'Required value']] },
    { name: 'headless needs no ports', spec: { ports: [], clusterIP: 'None' }, causes: [] },
    { name: 'external name needs no ports', spec: { ports: [], type: 'ExternalName', externalName: 'db.example.com.' }, causes: [] },
    { name: 'external name needs a name', spec: { type: 'ExternalName' }, causes: [['spec.externalName', 'Required value']] },
    {
      name: 'port out of range, and so its target port',
      spec: { ports: [{ port: 65536 }] },
      causes: [
        ['spec.ports[0].port', 'Invalid value: 65536: must be between 1 and 65535, inclusive'],
        ['spec.ports[0].targetPort', 'Invalid value: 65536: must be between 1 and 65535, inclusive'],
      ],
    },
    {
      name: 'several ports need names',
      spec: { ports: [{ name: 'pg', port: 5432 }, { port: 9187 }] },
      causes: [['spec.ports[1].name', 'Required value']],
    },
    {
      name: 'cluster IPs agree with the cluster IP, and are IPs',
      spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.11'] },
      causes: [['spec.clusterIPs', 'Invalid value: []string{"10.96.0.11"}: first value must match `clusterIP`']],
    },
    {
      name: 'a cluster IP is an IP',
      spec: { clusterIP: '10.96.0.300' },
      causes: [['spec.clusterIPs[0]', 'Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    },
    {
      name: 'no headless NodePort',
      spec: { type: 'NodePort', clusterIP: 'None' },
      causes: [['spec.clusterIP', 'Invalid value: "None": may not be set to \'None\' for NodePort services']],
    },
    {
      name: 'no cluster IP for an external name',
      spec: { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.10' },
      causes: [['spec.clusterIP', 'Forbidden: must be empty for ExternalName services']],
    },
    {
      name: 'no node port on ClusterIP',
      spec: { ports: [{ port: 80, nodePort: 30080 }] },
      causes: [['spec.ports[0].nodePort', "Forbidden: may not be used when `type` is 'ClusterIP'"]],
    },
    {
      name: 'named target port',
      spec: { ports: [{ port: 80, targetPort: 'Web_Port' }] },
      causes: [
        ['spec.ports[0].targetPort', 'Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
      ],
    },
  ];
  for (const c of cases) assert.deepEqual(semanticCauses(service(c.spec)).map((x) => [x.field, x.message]), c.causes, c.name);
  const strategy = strategyFor(kind('Service'));
  const old = service({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
  const headless = service({ clusterIP: 'None', clusterIPs: ['None'] });
  assert.deepEqual(strategy.validateUpdate!(headless, old), [
    { field: 'spec.clusterIPs[0]', reason: 'FieldValueInvalid', message: 'Invalid value: []string{"None"}: may not change once set' },
  ]);
  assert.deepEqual(strategy.validateUpdate!(service({}), old), [], 'an unset cluster IP is carried over, not changed');
});

test('configmap and secret: keys, base64 values, required keys, immutability', () => {
  const configMap = (data: Record<string, string>, binaryData?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'default' },
    data,
    ...(binaryData && { binaryData }),
  });
  assert.deepEqual(semanticCauses(configMap({ 'settings.py': 'DEBUG = False' })), []);
  assert.deepEqual(fields(semanticCauses(configMap({ 'bad key': 'x' }))), ['data[bad key]']);
  assert.deepEqual(fields(semanticCauses(configMap({ logo: 'x' }, { logo: 'AAAA' }))), ['data[logo]', 'binaryData[logo]']);

  const secret = (fields: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'postgres-credentials', namespace: 'default' },
    ...fields,
  });
  assert.deepEqual(semanticCauses(secret({ data: { user: 'c2FtcGxl', password: 'cGFzc3dvcmQ=' } })), []);
  assert.deepEqual(semanticCauses(secret({ data: { user: 'not base64!' } })), [
    { field: 'data[user]', reason: 'FieldValueInvalid', message: 'Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3' },
  ]);
  assert.deepEqual(fields(semanticCauses(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'AAAA' } }))), ['data[tls.key]']);

  const strategy = strategyFor(kind('Secret'));
  const old = secret({ type: 'Opaque', immutable: true, data: { user: 'c2FtcGxl' } });
  assert.deepEqual(strategy.validateUpdate!(structuredClone(old), old), []);
  const changed = secret({ type: 'Opaque', immutable: true, data: { user: 'b3RoZXI=' } });
  assert.deepEqual(strategy.validateUpdate!(changed, old), [
    { field: 'data', reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' },
  ]);
});

test('base64 errors at the byte Go reports', () => {
  const cases: [string, string | undefined][] = [
    ['cGFzc3dvcmQ=', undefined],
    ['YWJj\nZGVm', undefined],
    ['', undefined],
    ['abc', 'illegal base64 data at input byte 0'],
    ['abcde', 'illegal base64 data at input byte 4'],
    ['ab*d', 'illegal base64 data at input byte 2'],
    ['a===', 'illegal base64 data at input byte 1'],
  ];
  for (const [text, error] of cases) assert.equal(base64Error(text), error, text);
});

test('horizontal pod autoscaler and ingress rules', () => {
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'django', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'django' }, minReplicas: 3, maxReplicas: 2 },
  };
  assert.deepEqual(semanticCauses(hpa).map((c) => [c.field, c.message]), [['spec.maxReplicas', 'Invalid value: 2: must be greater than or equal to `minReplicas`']]);
  const ingress: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      rules: [
        {
          host: 'django.local',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'django', port: { number: 8000 } } } },
              { path: 'static', pathType: 'Prefix', backend: { service: { name: 'django', port: { name: 'http' } } } },
              { path: '/admin', backend: { service: { name: 'django', port: {} } } },
            ],
          },
        },
      ],
    },
  };
  assert.deepEqual(semanticCauses(ingress).map((c) => [c.field, c.message]), [
    ['spec.rules[0].http.paths[1].path', 'Invalid value: "static": must be an absolute path'],
    ['spec.rules[0].http.paths[2].pathType', 'Required value: pathType must be specified'],
    ['spec.rules[0].http.paths[2].backend', 'Required value: port name or number is required'],
  ]);
});

test('semantic: a StatefulSet container may mount its volumeClaimTemplates by name, not an unknown volume', () => {
  const sts = (claims: string[]): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres', volumeMounts: [{ name: 'data', mountPath: '/var/lib/data' }] }] } },
      volumeClaimTemplates: claims.map((name) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } })),
    },
  });
  assert.deepEqual(semanticCauses(sts(['data'])), []);
  assert.deepEqual(fields(semanticCauses(sts(['other']))), ['spec.template.spec.containers[0].volumeMounts[0].name']);
});
