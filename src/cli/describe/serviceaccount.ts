import type { Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

const SECRETS = 'secrets';
const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
// The headers are padded by hand, so that continuation lines line up under the first name.
const EMPTY_HEADER = ' '.repeat(19);

export const serviceAccountDescriber: Describer = {
  // The namespace's secrets tell which referenced secrets are missing and which tokens belong to the account.
  related: (obj) => [{ name: SECRETS, resource: 'secrets', namespace: obj.metadata.namespace }],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const sa = obj as unknown as ServiceAccount;
    const secrets = (ctx.related[SECRETS] ?? []) as unknown as Secret[];
    const existing = new Set(secrets.map((s) => s.metadata?.name));
    const tokens = secrets.filter(
      (s) =>
        s.type === SERVICE_ACCOUNT_TOKEN &&
        s.metadata?.annotations?.['kubernetes.io/service-account.name'] === obj.metadata.name &&
        s.metadata?.annotations?.['kubernetes.io/service-account.uid'] === obj.metadata.uid,
    );
    const sections: Array<[string, string[]]> = [
      ['Image pull secrets:', (sa.imagePullSecrets ?? []).map((s) => s.name ?? '')],
      ['Mountable secrets: ', (sa.secrets ?? []).map((s) => s.name ?? '')],
      ['Tokens:            ', tokens.map((s) => s.metadata?.name ?? '')],
    ];
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      for (const [header, names] of sections) {
        if (names.length === 0) w.write(LEVEL_0, `${header}\t<none>\n`);
        names.forEach((name, i) => w.write(LEVEL_0, `${i === 0 ? header : EMPTY_HEADER}\t${name}${existing.has(name) ? '' : ' (not found)'}\n`));
      }
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};
