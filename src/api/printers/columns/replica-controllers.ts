// ReplicaSet (apps) and ReplicationController (core) columns: one table, DESIRED CURRENT READY,
// in which only the field descriptions and the form of the selector differ.
import { NAME_COLUMN, column, podTemplateCells, podTemplateColumns, type ColumnPrinter } from './common.js';
import { formatLabels, formatLabelSelector } from './labels.js';

interface ReplicaColumnDocs {
  desired: string;
  current: string;
  ready: string;
  selector: string;
}

function replicaControllerColumns(docs: ReplicaColumnDocs, selectorText: (selector: any) => string): ColumnPrinter {
  return {
    columns: [
      NAME_COLUMN,
      column('Desired', 'integer', docs.desired),
      column('Current', 'integer', docs.current),
      column('Ready', 'integer', docs.ready),
      ...podTemplateColumns(docs.selector),
    ],
    cells(obj, now) {
      const spec = obj.spec ?? {};
      return [
        obj.metadata.name,
        // Kubernetes defaults spec.replicas to 1.
        spec.replicas ?? 1,
        obj.status?.replicas ?? 0,
        obj.status?.readyReplicas ?? 0,
        ...podTemplateCells(obj, now, spec.template, selectorText(spec.selector)),
      ];
    },
  };
}

export const replicaSetColumns = replicaControllerColumns(
  {
    desired:
      'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
    current:
      'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
    ready: 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.',
    selector:
      "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  },
  formatLabelSelector,
);

// A ReplicationController's selector is a plain map of labels.
export const replicationControllerColumns = replicaControllerColumns(
  {
    desired:
      'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
    current:
      'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
    ready: 'The number of ready replicas for this replication controller.',
    selector:
      'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  },
  formatLabels,
);
