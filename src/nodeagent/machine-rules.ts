// Every iptables rule the machine's network services write (the service proxy's and the network
// policies'), removed together by `kctl cluster down` and `kctl reset`.
import { removeRules } from './iptables/iptables.js';
import { POLICY_RULES } from './netpol/policy-rules.js';
import { SERVICE_RULES } from './proxy/service-rules.js';

export async function removeMachineRules(): Promise<void> {
  await removeRules(POLICY_RULES);
  await removeRules(SERVICE_RULES);
}
