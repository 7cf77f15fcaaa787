// The tcpSocket probe: success when a TCP connection opens within the timeout. The kubelet dials
// from the node, as this agent does (the pod network is a bridge on this host).
import { connect } from 'node:net';
import { dialErrorText, dialTimeoutText } from './go-net-errors.js';
import { failure, success, type ProbeOutcome } from './probe-outcome.js';

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(failure(dialTimeoutText(host, port))), timeoutMs);
    socket.once('connect', () => done(success()));
    socket.on('error', (err) => done(failure(dialErrorText(host, port, err))));
  });
}
