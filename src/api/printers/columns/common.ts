// What every kind's columns share: the column shape, NAME and AGE, and what ends every workload's
// table: AGE then the wide CONTAINERS, IMAGES and SELECTOR.
import type { KubeObject, TableColumnDefinition } from '../../types.js';
import { timestampSince } from '../duration.js';

export interface ColumnPrinter {
  columns: TableColumnDefinition[];
  /** One cell per column. Wide (priority 1) cells are always included: clients drop them unless `-o wide`. */
  cells(obj: KubeObject, now: Date): unknown[];
}

export function column(name: string, type: string, description: string, priority = 0): TableColumnDefinition {
  return { name, type, format: '', description, priority };
}

// Descriptions are the API documentation of the field a column shows, as the real server sends them.
export const NAME_COLUMN: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

export const AGE_COLUMN = column(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

const CREATED_AT_COLUMN = { ...AGE_COLUMN, name: 'Created At', type: 'date' };

/** The API server's default table (rest.NewDefaultTableConvertor): the name and the creation time itself, in RFC 3339. */
export const createdAtColumns: ColumnPrinter = {
  columns: [NAME_COLUMN, CREATED_AT_COLUMN],
  cells: (obj) => [obj.metadata.name, obj.metadata.creationTimestamp ?? ''],
};

export const CONTAINERS_COLUMN = column('Containers', 'string', 'Names of each container in the template.', 1);
export const IMAGES_COLUMN = column('Images', 'string', 'Images referenced by each container in the template.', 1);

export function age(obj: KubeObject, now: Date): string {
  return timestampSince(obj.metadata.creationTimestamp, now);
}

/** AGE, then the wide CONTAINERS, IMAGES and SELECTOR: how the table of each kind that runs a pod template ends. */
export function podTemplateColumns(selectorDescription: string): TableColumnDefinition[] {
  return [AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, column('Selector', 'string', selectorDescription, 1)];
}

interface PodTemplate {
  spec?: { containers?: Array<{ name?: string; image?: string }> };
}

/** The podTemplateColumns cells: containers' names and images, comma-separated in spec order. */
export function podTemplateCells(obj: KubeObject, now: Date, template: PodTemplate | undefined, selector: string): unknown[] {
  const containers = template?.spec?.containers ?? [];
  return [age(obj, now), containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(','), selector];
}

/** Optional booleans as Kubernetes prints them. */
export function formatOptionalBool(value: boolean | undefined | null): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/** `a,b,c + 2 more...`: the shown entries, and how many were left out. */
export function listWithMore(shown: string[], hidden: number): string {
  const text = shown.join(',');
  return hidden > 0 ? `${text} + ${hidden} more...` : text;
}
