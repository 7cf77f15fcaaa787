// kctl config set-credentials NAME [--token=T | --username=U --password=P] [--client-certificate=F --client-key=F [--embed-certs]].
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

function fileData(path: string, what: string): string {
  try {
    return readFileSync(path).toString('base64');
  } catch {
    throw new CliError(`error reading ${what} data from ${path}: open ${path}: no such file or directory`);
  }
}

export function register(config: Command, io: IOStreams): void {
  config
    .command('set-credentials')
    .description('Set a user entry in kubeconfig')
    .argument('<name>')
    .option('--token <token>', 'bearer token of the user')
    .option('--username <name>', 'username for basic authentication')
    .option('--password <password>', 'password for basic authentication')
    .option('--client-certificate <file>', 'client certificate file')
    .option('--client-key <file>', 'client key file')
    .option('--embed-certs', 'embed the client certificate and key in the kubeconfig', false)
    .action(async (name: string, opts, cmd: Command) => {
      // --token is also kctl's global flag, which takes it wherever it is written.
      const token: string | undefined = cmd.optsWithGlobals().token;
      if (token !== undefined && (opts.username !== undefined || opts.password !== undefined)) {
        throw new CliError('you cannot specify more than one authentication method at the same time: --token, --username/--password');
      }
      const files = await configFilesOf(cmd);
      files.upsert('users', name, (u) => {
        if (token !== undefined) {
          u.token = token;
          delete u.username;
          delete u.password;
        }
        if (opts.username !== undefined) u.username = opts.username;
        if (opts.password !== undefined) u.password = opts.password;
        for (const [flag, field] of [
          ['clientCertificate', 'client-certificate'],
          ['clientKey', 'client-key'],
        ] as const) {
          const path = opts[flag];
          if (path === undefined) continue;
          if (opts.embedCerts) {
            u[`${field}-data`] = fileData(path, field);
            delete u[field];
          } else {
            u[field] = resolve(path);
            delete u[`${field}-data`];
          }
        }
      });
      await files.save();
      io.out.write(`User "${name}" set.\n`);
    });
}
