// kctl config set-cluster NAME [--server=URL] [--certificate-authority=FILE [--embed-certs]] [--insecure-skip-tls-verify] [--tls-server-name=N].
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

export function register(config: Command, io: IOStreams): void {
  config
    .command('set-cluster')
    .description('Set a cluster entry in kubeconfig')
    .argument('<name>')
    .option('--server <url>', 'the address of the API server')
    .option('--certificate-authority <file>', 'the certificate authority file of the cluster')
    .option('--embed-certs', 'embed the certificate authority in the kubeconfig', false)
    .option('--insecure-skip-tls-verify [bool]', 'do not check the server certificate')
    .option('--tls-server-name <name>', 'the server name to check the certificate against')
    .action(async (name: string, opts, cmd: Command) => {
      if (opts.embedCerts && !opts.certificateAuthority) throw new CliError('you must specify a --certificate-authority to embed');
      const files = await configFilesOf(cmd);
      let caData: string | undefined;
      if (opts.embedCerts) {
        try {
          caData = readFileSync(opts.certificateAuthority).toString('base64');
        } catch {
          throw new CliError(`could not read certificate-authority data from ${opts.certificateAuthority}: open ${opts.certificateAuthority}: no such file or directory`);
        }
      }
      // --server and --insecure-skip-tls-verify are also kctl's global flags, which take them wherever they are written.
      const globals = cmd.optsWithGlobals();
      const insecure = globals.insecureSkipTlsVerify === undefined ? undefined : globals.insecureSkipTlsVerify !== 'false';
      files.upsert('clusters', name, (c) => {
        if (globals.server !== undefined) c.server = globals.server;
        if (opts.tlsServerName !== undefined) c['tls-server-name'] = opts.tlsServerName;
        if (insecure !== undefined) {
          if (insecure) {
            c['insecure-skip-tls-verify'] = true;
            delete c['certificate-authority'];
            delete c['certificate-authority-data'];
          } else delete c['insecure-skip-tls-verify'];
        }
        if (caData) {
          c['certificate-authority-data'] = caData;
          delete c['certificate-authority'];
          delete c['insecure-skip-tls-verify'];
        } else if (opts.certificateAuthority) {
          c['certificate-authority'] = resolve(opts.certificateAuthority);
          delete c['certificate-authority-data'];
          delete c['insecure-skip-tls-verify'];
        }
      });
      await files.save();
      io.out.write(`Cluster "${name}" set.\n`);
    });
}
