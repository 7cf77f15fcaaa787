// Event columns as `kubectl get events` shows them: LAST SEEN TYPE REASON OBJECT MESSAGE, and in
// wide output SUBOBJECT SOURCE FIRST SEEN COUNT NAME (printEvent in Kubernetes).
import type { KubeObject } from '../../types.js';
import { timestampSince } from '../duration.js';
import { NAME_COLUMN, column, type ColumnPrinter } from './common.js';

export const eventColumns: ColumnPrinter = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column('Object', 'string', 'The object that this event is about.'),
    column(
      'Subobject',
      'string',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
      1,
    ),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(event, now) {
    // Events from the events.k8s.io API carry eventTime and series instead of timestamps and count.
    const firstSeen = timestampSince(event.firstTimestamp || event.eventTime, now);
    let lastSeen = event.lastTimestamp ? timestampSince(event.lastTimestamp, now) : firstSeen;
    let count: number = event.count || 1;
    if (event.series) {
      lastSeen = timestampSince(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    }
    const involved = event.involvedObject ?? {};
    const kind = String(involved.kind ?? '').toLowerCase();
    return [
      lastSeen,
      event.type ?? '',
      event.reason ?? '',
      involved.name ? `${kind}/${involved.name}` : kind,
      involved.fieldPath ?? '',
      eventSource(event),
      String(event.message ?? '').trim(),
      firstSeen,
      count,
      event.metadata.name,
    ];
  },
};

/** `kubelet, node-1`: the reporting component and, when known, its host. */
function eventSource(event: KubeObject): string {
  const component: string = event.source?.component || event.reportingComponent || '';
  const instance: string = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}
