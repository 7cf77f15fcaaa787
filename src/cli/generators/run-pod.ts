// The Pod `kubectl run` builds (its BasicPod generator): labels `run: NAME` unless --labels, one
// container named NAME, the arguments after NAME as its args (its command with --command), env,
// one container port, pull and restart policies; checked in kubectl's order with its texts.
import { isEnvVarName } from '../../api/validation/names.js';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { parseLabelPairs } from './exposed-service.js';
import { mustAtoi } from './go-strconv.js';
import { isImageReference } from './image-reference.js';

export interface RunFlags {
  name: string;
  image: string;
  /** Always, OnFailure or Never; '' for Always (OnFailure when attaching, which kctl does not). */
  restart: string;
  /** '' for the server's default. */
  imagePullPolicy: string;
  /** The --port text; '' for no container port. */
  port: string;
  env: string[];
  /** '' for `run=NAME`. */
  labels: string;
  /** The arguments after NAME are the command rather than the args. */
  command: boolean;
  args: string[];
  /** Set only when -n was given, as kubectl does. */
  namespace?: string;
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never', ''];

/** A usage error as cobra words it. */
function usage(message: string): CliError {
  return new CliError(`${message}\nSee 'kctl run -h' for help and examples`);
}

export interface AttachFlags {
  stdin: boolean;
  tty: boolean;
  attach: boolean;
  rm: boolean;
  dryRun: boolean;
}

/**
 * The checks kubectl's run makes before building anything, in its order; where kubectl would
 * attach to the pod, kctl refuses (attaching is not supported yet).
 */
export function checkRunFlags(f: Pick<RunFlags, 'image' | 'restart' | 'imagePullPolicy'>, a: AttachFlags): void {
  if (!f.image) throw new CliError('--image is required');
  if (!isImageReference(f.image)) throw new CliError(`Invalid image name "${f.image}": invalid reference format`);
  if (a.tty && !a.stdin) throw usage('-i/--stdin is required for containers with -t/--tty=true');
  if (f.restart && !RESTART_POLICIES.includes(f.restart)) throw usage(`invalid restart policy: ${f.restart}`);
  const attach = a.attach || a.stdin;
  if (a.rm && !attach) throw usage('--rm should only be used for attached containers');
  if (attach && a.dryRun) throw usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  if (attach) throw usage('attaching to the pod (--attach, -i/--stdin, -t/--tty, --rm) is not supported yet: run it without them, then use kctl logs');
  if (!PULL_POLICIES.includes(f.imagePullPolicy)) throw usage(`invalid image pull policy: ${f.imagePullPolicy}`);
}

/** `K=V` pairs as kubectl's parseEnvs reads them: the value may hold `=`, the name must be valid. */
export function parseEnvs(pairs: readonly string[]): { name: string; value: string }[] {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq);
    if (isEnvVarName(name).length > 0) throw new CliError(`invalid env: ${pair}`);
    return { name, value: pair.slice(eq + 1) };
  });
}

export function runPodFor(f: RunFlags): KubeObject {
  const env = parseEnvs(f.env);
  const labels = f.labels ? parseLabelPairs(f.labels) : { run: f.name };
  const container: Record<string, unknown> = { name: f.name, image: f.image };
  if (f.args.length) container[f.command ? 'command' : 'args'] = f.args;
  if (f.port) container.ports = [{ containerPort: mustAtoi(f.port) }];
  if (env.length) container.env = env;
  if (f.imagePullPolicy) container.imagePullPolicy = f.imagePullPolicy;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: f.name, ...(f.namespace ? { namespace: f.namespace } : {}), labels },
    spec: { containers: [container], restartPolicy: f.restart || 'Always', dnsPolicy: 'ClusterFirst' },
  };
}
