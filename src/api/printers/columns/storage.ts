// PersistentVolume, PersistentVolumeClaim and StorageClass columns, as Kubernetes' printers
// (VolumeAttributesClass shows since 1.29; "<unset>" while the field is not set).
import { AGE_COLUMN, NAME_COLUMN, age, column, type ColumnPrinter } from './common.js';
import type { KubeObject } from '../../types.js';
import { isDefaultClass } from '../../storage.js';

const ACCESS_MODES: Array<[string, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,ROX`: in Kubernetes' fixed order, whatever the spec's. */
export function accessModesText(modes: string[] | undefined): string {
  return ACCESS_MODES.filter(([mode]) => modes?.includes(mode)).map(([, short]) => short).join(',');
}

function phase(obj: KubeObject): string {
  return obj.metadata.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? '');
}

const VOLUME_MODE = (doc: string) => column('VolumeMode', 'string', doc, 1);

export const persistentVolumeColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE_COLUMN,
    VOLUME_MODE('volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells: (pv, now) => {
    const ref = pv.spec?.claimRef;
    return [
      pv.metadata.name,
      pv.spec?.capacity?.storage ?? '',
      accessModesText(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phase(pv),
      ref ? `${ref.namespace}/${ref.name}` : '',
      pv.spec?.storageClassName ?? '',
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age(pv, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    VOLUME_MODE('volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.'),
  ],
  cells: (pvc, now) => {
    const bound = Boolean(pvc.spec?.volumeName);
    return [
      pvc.metadata.name,
      phase(pvc),
      pvc.spec?.volumeName ?? '',
      bound ? (pvc.status?.capacity?.storage ?? '') : '',
      bound ? accessModesText(pvc.status?.accessModes) : '',
      pvc.spec?.storageClassName ?? '',
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      age(pvc, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};

export const storageClassColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    AGE_COLUMN,
  ],
  cells: (sc, now) => [
    isDefaultClass(sc) ? `${sc.metadata.name} (default)` : sc.metadata.name,
    sc.provisioner ?? '',
    sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate',
    String(sc.allowVolumeExpansion === true),
    age(sc, now),
  ],
};
