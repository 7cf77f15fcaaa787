// The `Volumes:` section: each volume's source type and its settings.
import type { Volume } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.js';

type SourceWriter = (w: PrefixWriter, source: any) => void;

// kubectl's wording for each source kctl can run. Settings after the first line are indented by
// hand (four spaces), as kubectl writes them, so they align with the `Type:` line.
const SOURCES: Record<string, SourceWriter> = {
  hostPath: (w, s) =>
    w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${s.path}\n    HostPathType:\t${s.type ?? '<none>'}\n`),
  emptyDir: (w, s) => {
    const limit = s.sizeLimit === undefined ? undefined : Quantity.parse(s.sizeLimit);
    const sizeLimit = limit && limit.cmp(Quantity.ZERO) > 0 ? limit.toString() : '<unset>';
    w.write(
      LEVEL_2,
      `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${s.medium ?? ''}\n    SizeLimit:\t${sizeLimit}\n`,
    );
  },
  secret: (w, s) =>
    w.write(
      LEVEL_2,
      `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${s.secretName ?? ''}\n    Optional:\t${s.optional === true}\n`,
    ),
  configMap: (w, s) =>
    w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${s.name ?? ''}\n    Optional:\t${s.optional === true}\n`),
  nfs: (w, s) =>
    w.write(
      LEVEL_2,
      `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${s.server}\n    Path:\t${s.path}\n    ReadOnly:\t${s.readOnly === true}\n`,
    ),
  persistentVolumeClaim: (w, s) =>
    w.write(
      LEVEL_2,
      'Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n' +
        `    ClaimName:\t${s.claimName}\n    ReadOnly:\t${s.readOnly === true}\n`,
    ),
  downwardAPI: (w, s) => {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const item of s.items ?? []) {
      if (item.fieldRef) w.write(LEVEL_3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
      if (item.resourceFieldRef) w.write(LEVEL_3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
    }
  },
  // The wording of kubectl 1.33 on: 1.32 printed the Go pointer behind `optional`.
  projected: (w, s) => {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const source of s.sources ?? []) {
      if (source.secret) {
        w.write(LEVEL_2, `SecretName:\t${source.secret.name ?? ''}\n    Optional:\t${source.secret.optional === true}\n`);
      } else if (source.downwardAPI) {
        w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
      } else if (source.configMap) {
        w.write(LEVEL_2, `ConfigMapName:\t${source.configMap.name ?? ''}\n    Optional:\t${source.configMap.optional === true}\n`);
      } else if (source.serviceAccountToken) {
        w.write(LEVEL_2, `TokenExpirationSeconds:\t${source.serviceAccountToken.expirationSeconds ?? 0}\n`);
      }
    }
  },
};

/** `space` indents the section when it belongs to a pod template. */
export function writeVolumes(w: PrefixWriter, volumes: Volume[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const volume of volumes) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${volume.name}:\n`);
    const kind = Object.keys(SOURCES).find((k) => (volume as any)[k] !== undefined);
    if (kind) SOURCES[kind](w, (volume as any)[kind]);
    else w.write(LEVEL_1, '<unknown>\n');
  }
}

/** A PersistentVolume's `Source:` section: its hostPath or local directory, in kubectl's words. */
export function writePersistentVolumeSource(w: PrefixWriter, spec: any): void {
  w.write(LEVEL_0, 'Source:\n');
  if (spec?.hostPath) SOURCES.hostPath(w, spec.hostPath);
  else if (spec?.local) w.write(LEVEL_2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path}\n`);
}
