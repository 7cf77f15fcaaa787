// Objects the registry's unit tests start from, as users write them.
import type { KubeObject } from '../../src/api/types.js';

/** The Django Deployment of the walkthrough. */
export function djangoDeployment(replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'django', namespace: 'default', uid: 'd1' },
    spec: {
      replicas,
      selector: { matchLabels: { pod: 'django' } },
      template: {
        metadata: { labels: { pod: 'django' } },
        spec: {
          containers: [
            {
              name: 'django',
              image: 'gitumarkk/k8_django_minikube:part_4',
              ports: [{ containerPort: 8000 }],
              env: [{ name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'user' } } }],
            },
          ],
        },
      },
    },
  };
}
