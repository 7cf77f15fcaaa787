// Deployment and ReplicaSet columns (apps group).
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, age, column, containerCells, type ColumnPrinter } from './common.js';
import { formatLabelSelector, labelSelectorString } from './labels.js';

export const deploymentColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column(
      'Selector',
      'string',
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
      1,
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
      age(deploy, now),
      ...containerCells(spec.template?.spec?.containers),
      selector,
    ];
  },
};

export const replicaSetColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'Desired',
      'integer',
      'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
    ),
    column(
      'Current',
      'integer',
      'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
    ),
    column('Ready', 'integer', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column(
      'Selector',
      'string',
      "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      1,
    ),
  ],
  cells(rs, now) {
    const spec = rs.spec ?? {};
    return [
      rs.metadata.name,
      spec.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      age(rs, now),
      ...containerCells(spec.template?.spec?.containers),
      formatLabelSelector(spec.selector),
    ];
  },
};
