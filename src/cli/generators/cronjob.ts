// The CronJob `kubectl create cronjob NAME --image=I --schedule=S [-- COMMAND...]` builds: a job
// template named after it with one container of that name.
import type { KubeObject } from '../../api/types.js';
import { typedObject } from './typed-object.js';

export interface CronJobFlags {
  image: string;
  schedule: string;
  restart: string;
  command: string[];
}

export function cronJobFor(name: string, namespace: string | undefined, f: CronJobFlags): KubeObject {
  const cj = typedObject('batch/v1', 'CronJob', name, namespace);
  cj.spec = {
    schedule: f.schedule,
    jobTemplate: {
      metadata: { name, creationTimestamp: null },
      spec: {
        template: {
          metadata: { creationTimestamp: null },
          spec: {
            containers: [{ name, image: f.image, ...(f.command.length ? { command: f.command } : {}), resources: {} }],
            restartPolicy: f.restart,
          },
        },
      },
    },
  };
  cj.status = {};
  return cj;
}
