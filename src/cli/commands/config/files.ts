// The kubeconfig files of a `kctl config` command, from the global --kubeconfig.
import type { Command } from 'commander';
import type { GlobalOptions } from '../../context.js';
import { ConfigFiles } from '../../kubeconfig/config-files.js';

export function configFilesOf(cmd: Command): Promise<ConfigFiles> {
  return ConfigFiles.load({ kubeconfig: (cmd.optsWithGlobals() as GlobalOptions).kubeconfig });
}
