// Deployment columns (apps group); ReplicaSet's are with ReplicationController's.
import { NAME_COLUMN, column, podTemplateCells, podTemplateColumns, type ColumnPrinter } from './common.js';
import { labelSelectorString } from './labels.js';

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
