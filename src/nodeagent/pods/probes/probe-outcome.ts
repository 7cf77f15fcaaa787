// What one probe run answers, as the kubelet's probers do: a result and the output its events
// quote. A probe that could not run at all (no pod IP, an unknown port name, the engine refusing
// the exec) throws instead: the kubelet reports it as an error and discards the run.

export interface ProbeOutcome {
  /** A warning counts as a success; the kubelet only reports it (a redirect it did not follow). */
  result: 'success' | 'warning' | 'failure';
  output: string;
}

export const success = (output = ''): ProbeOutcome => ({ result: 'success', output });
export const failure = (output: string): ProbeOutcome => ({ result: 'failure', output });
