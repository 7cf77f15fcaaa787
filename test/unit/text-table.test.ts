import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Table, TableColumnDefinition } from '../../src/api/types.js';
import { TabWriter, alignColumns, escapeTerminal, joinTables, noResourcesFoundMessage, renderTable } from '../../src/cli/printers/text-table.js';

const col = (name: string, priority = 0, format = ''): TableColumnDefinition => ({ name, type: 'string', format, description: '', priority });

function table(columns: TableColumnDefinition[], rows: Array<{ cells: unknown[]; metadata?: object }>): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: columns,
    rows: rows.map((r) => ({ cells: r.cells, object: r.metadata && { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: r.metadata } })),
  };
}

const podColumns = [col('Name', 0, 'name'), col('Ready'), col('Status'), col('Restarts'), col('Age'), col('IP', 1), col('Node', 1)];
const pods = table(podColumns, [
  { cells: ['nginx', '1/1', 'Running', '0', '5m1s', '10.244.0.5', 'node-1'], metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx', 'app.kubernetes.io/name': 'web' } } },
  { cells: ['crashy-10', '1/2', 'CrashLoopBackOff', '4 (2m6s ago)', '66m', '10.244.1.7', 'node-2'], metadata: { name: 'crashy-10', namespace: 'default', labels: { app: 'crashy' } } },
  { cells: ['done', '0/1', 'Terminating', '0', '61s', '<none>', '<none>'], metadata: { name: 'done', namespace: 'kube-system' } },
]);

// Expected texts are what kubectl 1.32 printed for the same tables.
test('columns are upper-cased and aligned with 3 spaces; wide columns only with -o wide', () => {
  assert.equal(
    renderTable(pods),
    [
      'NAME        READY   STATUS             RESTARTS       AGE',
      'nginx       1/1     Running            0              5m1s',
      'crashy-10   1/2     CrashLoopBackOff   4 (2m6s ago)   66m',
      'done        0/1     Terminating        0              61s',
      '',
    ].join('\n'),
  );
  assert.equal(
    renderTable(pods, { wide: true }),
    [
      'NAME        READY   STATUS             RESTARTS       AGE    IP           NODE',
      'nginx       1/1     Running            0              5m1s   10.244.0.5   node-1',
      'crashy-10   1/2     CrashLoopBackOff   4 (2m6s ago)   66m    10.244.1.7   node-2',
      'done        0/1     Terminating        0              61s    <none>       <none>',
      '',
    ].join('\n'),
  );
});

test('NAMESPACE first for -A, -L label columns by the key\'s last segment, LABELS last', () => {
  assert.equal(
    renderTable(pods, { withNamespace: true, showLabels: true, labelColumns: ['app', 'app.kubernetes.io/name'] }),
    [
      'NAMESPACE     NAME        READY   STATUS             RESTARTS       AGE    APP      NAME   LABELS',
      'default       nginx       1/1     Running            0              5m1s   nginx    web    app.kubernetes.io/name=web,app=nginx',
      'default       crashy-10   1/2     CrashLoopBackOff   4 (2m6s ago)   66m    crashy          app=crashy',
      'kube-system   done        0/1     Terminating        0              61s                    <none>',
      '',
    ].join('\n'),
  );
});

test('names take a kind prefix when several kinds print together; tables are separated by a blank line', () => {
  const deploy = table([col('Name', 0, 'name'), col('Ready'), col('Up-to-date'), col('Available'), col('Age')], [{ cells: ['django', '2/3', 3, 2, '120m'] }]);
  const svc = table([col('Name', 0, 'name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age')], [
    { cells: ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '40d'] },
    { cells: ['web', 'NodePort', '10.96.3.4', '<none>', '8000:31234/TCP,53/UDP', '31s'] },
  ]);
  const empty = table(svc.columnDefinitions, []);
  const outputs = [renderTable(deploy, { kind: 'deployment.apps' }), renderTable(empty, { kind: 'secret' }), renderTable(svc, { kind: 'service' })];
  assert.equal(
    joinTables(outputs),
    [
      'NAME                     READY   UP-TO-DATE   AVAILABLE   AGE',
      'deployment.apps/django   2/3     3            2           120m',
      '',
      'NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                 AGE',
      'service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                 40d',
      'service/web          NodePort    10.96.3.4    <none>        8000:31234/TCP,53/UDP   31s',
      '',
    ].join('\n'),
  );
  const bare = [renderTable(deploy, { kind: 'deployment.apps', noHeaders: true }), renderTable(svc, { kind: 'service', noHeaders: true })];
  assert.equal(
    joinTables(bare, true),
    [
      'deployment.apps/django   2/3   3     2     120m',
      'service/kubernetes   ClusterIP   10.96.0.1   <none>   443/TCP                 40d',
      'service/web          NodePort    10.96.3.4   <none>   8000:31234/TCP,53/UDP   31s',
      '',
    ].join('\n'),
  );
});

test('a column is at least 6 wide; the last column is not padded', () => {
  assert.equal(alignColumns([['A', 'B', 'C'], ['x', '', 'z']]), 'A     B     C\nx           z\n');
  assert.equal(alignColumns([['héllo', 'x']]), 'héllo   x\n');
});

test('no rows print nothing, not even headers', () => {
  assert.equal(renderTable(table(podColumns, [])), '');
});

test('cells are cut at a line break and terminal escapes neutralised', () => {
  const t = table([col('Name', 0, 'name'), col('Message')], [{ cells: ['a', 'first line\nsecond'] }, { cells: ['b', 'red \x1b[31m'] }, { cells: ['c', null] }]);
  assert.equal(renderTable(t), 'NAME   MESSAGE\na      first line...\nb      red ^[[31m\nc      \n');
  assert.equal(escapeTerminal('a\rb\x1bc'), 'a\\rb^[c');
});

test('a TabWriter keeps column widths across tables, as kubectl does while watching', () => {
  const writer = new TabWriter();
  const first = table([col('Name', 0, 'name'), col('Status')], [{ cells: ['a-long-name', 'Running'] }]);
  const later = table([col('Name', 0, 'name'), col('Status')], [{ cells: ['b', 'Pending'] }]);
  assert.equal(renderTable(first, {}, writer), 'NAME          STATUS\na-long-name   Running\n');
  assert.equal(renderTable(later, { noHeaders: true }, writer), 'b             Pending\n');
});

test('the empty result message names the namespace unless listing across namespaces', () => {
  assert.equal(noResourcesFoundMessage('default'), 'No resources found in default namespace.');
  assert.equal(noResourcesFoundMessage(), 'No resources found');
});
