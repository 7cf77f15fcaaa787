import type { Secret } from 'kubernetes-types/core/v1.js';
import { byteOrder } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import type { Describer } from './types.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';

export const secretDescriber: Describer = {
  // Values stay hidden: only their sizes are shown, except a service account's token.
  describe(obj: KubeObject): string {
    const secret = obj as unknown as Secret;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `\nType:\t${secret.type ?? ''}\n`);
      w.write(LEVEL_0, '\nData\n====\n');
      for (const key of Object.keys(secret.data ?? {}).sort(byteOrder)) {
        const value = Buffer.from(secret.data![key], 'base64');
        const shown = key === 'token' && secret.type === SERVICE_ACCOUNT_TOKEN ? value.toString('utf8') : `${value.length} bytes`;
        w.write(LEVEL_0, `${key}:\t${shown}\n`);
      }
    });
  },
};
