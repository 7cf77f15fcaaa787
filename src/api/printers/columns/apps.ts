// Deployment, DaemonSet and StatefulSet columns (apps group); ReplicaSet's are with ReplicationController's.
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, column, podTemplateCells, podTemplateColumns, type ColumnPrinter } from './common.js';
import { formatLabelSelector, formatLabels, labelSelectorString } from './labels.js';

export const deploymentColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ...podTemplateColumns(
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
    ),
  ],
  cells(deploy, now) {
    const spec = deploy.spec ?? {};
    const status = deploy.status ?? {};
    let selector: string;
    try {
      // Unlike other kinds, an empty deployment selector prints as an empty cell, not <none>.
      selector = labelSelectorString(spec.selector);
    } catch {
      selector = '<invalid>';
    }
    return [
      deploy.metadata.name,
      // Kubernetes defaults spec.replicas to 1.
      `${status.readyReplicas ?? 0}/${spec.replicas ?? 1}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      ...podTemplateCells(deploy, now, spec.template, selector),
    ];
  },
};

export const daemonSetColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    column('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ...podTemplateColumns("A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels."),
  ],
  cells(ds, now) {
    const spec = ds.spec ?? {};
    const status = ds.status ?? {};
    return [
      ds.metadata.name,
      status.desiredNumberScheduled ?? 0,
      status.currentNumberScheduled ?? 0,
      status.numberReady ?? 0,
      status.updatedNumberScheduled ?? 0,
      status.numberAvailable ?? 0,
      formatLabels(spec.template?.spec?.nodeSelector),
      ...podTemplateCells(ds, now, spec.template, formatLabelSelector(spec.selector)),
    ];
  },
};

/** kubectl's: NAME READY AGE, and with -o wide the template's CONTAINERS and IMAGES (no selector). */
export const statefulSetColumns: ColumnPrinter = {
  columns: [NAME_COLUMN, column('Ready', 'string', 'Number of the pod with ready state'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  cells(sts, now) {
    const spec = sts.spec ?? {};
    return [sts.metadata.name, `${sts.status?.readyReplicas ?? 0}/${spec.replicas ?? 1}`, ...podTemplateCells(sts, now, spec.template, '').slice(0, 3)];
  },
};
