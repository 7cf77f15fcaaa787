// The Deployment `kubectl create deployment` builds: labels and selector `app: NAME`, one container
// per image named after the image, the command (with one image only) and a container port.
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';

export interface DeploymentFlags {
  name: string;
  images: string[];
  replicas: number;
  /** -1: no container port. */
  port: number;
  command: string[];
  /** Set only when -n was given, as kubectl does. */
  namespace?: string;
}

/** utilrand.String's alphabet: no vowels, no confusable digits. */
const RANDOM_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += RANDOM_ALPHABET[Math.floor(Math.random() * RANDOM_ALPHABET.length)];
  return out;
}

/**
 * The container name kubectl derives from an image: its last path segment without tag or digest;
 * `_` and `.` (not valid in a name) become `-` and get a random suffix so two such images differ.
 */
export function containerNameFor(image: string, random: () => string = randomSuffix): string {
  let name = image.split('/').pop()!;
  name = name.split(':')[0];
  name = name.split('@')[0];
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${random()}`;
  return name;
}

export function validateDeploymentFlags(f: Pick<DeploymentFlags, 'images' | 'command'>): void {
  if (f.images.length === 0) throw new CliError('required flag(s) "image" not set');
  if (f.images.length > 1 && f.command.length > 0) throw new CliError('cannot specify multiple --image options and command');
}

export function deploymentFor(f: DeploymentFlags, random: () => string = randomSuffix): KubeObject {
  const labels = { app: f.name };
  const containers = f.images.map((image) => ({
    name: containerNameFor(image, random),
    image,
    ...(f.command.length ? { command: f.command } : {}),
  }));
  if (f.port >= 0 && containers.length) Object.assign(containers[0], { ports: [{ containerPort: f.port }] });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: f.name, ...(f.namespace ? { namespace: f.namespace } : {}), labels },
    spec: {
      replicas: f.replicas,
      selector: { matchLabels: { ...labels } },
      template: { metadata: { labels: { ...labels } }, spec: { containers } },
    },
  };
}
