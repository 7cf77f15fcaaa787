// kctl create secret generic|tls|docker-registry NAME, as kubectl builds them (generators/secret.ts).
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { DEFAULT_DOCKER_SERVER, dockerRegistrySecretFor, genericSecretFor, tlsSecretFor } from '../generators/secret.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import { stringSlice } from '../repeatable-flags.js';
import { addDataOptions } from './create-configmap.js';
import type { KubeObject } from '../../api/types.js';
import type { IOStreams } from '../io-streams.js';

const SECRETS = findByKind('Secret')!;

function secretCommand(secret: Command, io: IOStreams, name: string, description: string, build: (name: string, namespace: string | undefined, opts: any) => KubeObject): Command {
  const cmd = secret.command(name).description(description).argument('[name...]');
  return addGeneratorOptions(cmd)
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, command: Command) => {
      const secretName = exactlyOneName(args, command);
      await createGenerated(io, command, SECRETS, opts, 'secret', (namespace) => build(secretName, namespace, opts), true);
    });
}

export function register(create: Command, io: IOStreams): void {
  const secret = create.command('secret').description('Create a secret: generic, tls or docker-registry');
  addDataOptions(
    secretCommand(secret, io, 'generic', 'Create a secret from a local file, directory or literal value', (name, namespace, o) =>
      genericSecretFor({ name, namespace, type: o.type ?? '', fromFile: o.fromFile, fromLiteral: o.fromLiteral, fromEnvFile: o.fromEnvFile, appendHash: o.appendHash }),
    ),
    'secret',
  ).option('--type <type>', 'the type of secret to create');
  secretCommand(secret, io, 'tls', 'Create a TLS secret from a certificate and its key', (name, namespace, o) =>
    tlsSecretFor({ name, namespace, cert: o.cert ?? '', key: o.key ?? '', appendHash: o.appendHash }),
  )
    .option('--cert <path>', 'path to the PEM encoded public key certificate')
    .option('--key <path>', 'path to the private key of the certificate')
    .option('--append-hash', 'append a hash of the secret to its name', false);
  secretCommand(secret, io, 'docker-registry', 'Create a secret for use with a Docker registry', (name, namespace, o) =>
    dockerRegistrySecretFor({
      name,
      namespace,
      server: o.dockerServer,
      username: o.dockerUsername,
      password: o.dockerPassword,
      email: o.dockerEmail,
      fromFile: o.fromFile,
      appendHash: o.appendHash,
    }),
  )
    .option('--docker-server <server>', 'server location for the Docker registry', DEFAULT_DOCKER_SERVER)
    .option('--docker-username <name>', 'username for Docker registry authentication')
    .option('--docker-password <password>', 'password for Docker registry authentication')
    .option('--docker-email <email>', 'email for the Docker registry')
    .option('--from-file <[key=]source>', 'key files, such as a ~/.docker/config.json, instead of the flags above; repeatable', stringSlice, [])
    .option('--append-hash', 'append a hash of the secret to its name', false);
}
