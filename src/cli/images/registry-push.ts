// Pushing a local image to the cluster's registry: the image is given the registry's name
// (`<host:port>/<path>:<tag>`, whatever registry it named before) and pushed with the
// registry's credentials.
import type { DockerClient } from '../../nodeagent/machine-runtime.js';
import { splitImage } from '../../api/images.js';
import { clusterPaths, readState } from '../cluster/local-cluster.js';
import { isAlive } from '../cluster/processes.js';
import { readRegistryCredentials, registryPaths, type RegistryCredentials } from '../cluster/registry/registry-files.js';
import { CliError } from '../errors.js';

export interface ClusterRegistry {
  address: string;
  credentials: RegistryCredentials;
}

/** The running cluster's registry, or why there is none. */
export function clusterRegistry(): ClusterRegistry {
  const p = clusterPaths();
  const state = readState(p);
  if (!state || !isAlive(state.apiserverPid)) throw new CliError(`no cluster is running under ${p.home} (start one with: kctl cluster up --registry)`);
  if (!state.registry || !isAlive(state.registry.pid)) throw new CliError(`the cluster under ${p.home} runs no registry (start it with: kctl cluster down && kctl cluster up --registry)`);
  return { address: state.registry.address, credentials: readRegistryCredentials(registryPaths(p.home)) };
}

/** `busybox:1.35` → `<registry>/busybox:1.35`; `other.example:5000/team/app` → `<registry>/team/app:latest`. */
export function registryName(image: string, address: string): { repository: string; tag: string } {
  const { repository, tag } = splitImage(image);
  const first = repository.split('/')[0];
  const hasHost = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasHost ? repository.slice(first.length + 1) : repository;
  return { repository: `${address}/${path}`, tag };
}

/** Tags and pushes; answers the pushed reference. */
export async function pushToRegistry(docker: DockerClient, image: string, registry: ClusterRegistry): Promise<string> {
  const { repository, tag } = registryName(image, registry.address);
  await docker.tagImage(image, repository, tag);
  await docker.pushImage(repository, tag, { ...registry.credentials, serveraddress: registry.address });
  return `${repository}:${tag}`;
}
