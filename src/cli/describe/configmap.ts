import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { byteOrder } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

export const configMapDescriber: Describer = {
  describe(obj: KubeObject, ctx: DescribeContext): string {
    const cm = obj as unknown as ConfigMap;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, '\nData\n====\n');
      for (const key of Object.keys(cm.data ?? {}).sort(byteOrder)) {
        w.write(LEVEL_0, `${key}:\n----\n`);
        w.write(LEVEL_0, `${cm.data![key]}\n`);
        w.write(LEVEL_0, '\n');
      }
      w.write(LEVEL_0, '\nBinaryData\n====\n');
      for (const key of Object.keys(cm.binaryData ?? {}).sort(byteOrder)) {
        w.write(LEVEL_0, `${key}: ${Buffer.from(cm.binaryData![key], 'base64').length} bytes\n`);
      }
      w.write(LEVEL_0, '\n');
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};
