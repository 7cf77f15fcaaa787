// The node's address when --node-ip is not given: the source address this machine uses towards the
// API server (the address of the interface that routes there), as the kubelet picks its node IP
// from the route to the outside when it is not told. On one computer that is 127.0.0.1; on a
// machine that joined over a network it is the machine's own address, which the API server can
// reach back for logs, exec and port-forward.
import dgram from 'node:dgram';

/**
 * Connecting a UDP socket sends nothing: it only asks the kernel to pick the route, and with it the
 * source address, so this works before anything listens on the other side.
 */
export function addressTowards(server: string): Promise<string> {
  const url = new URL(server);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', (err) => {
      socket.close();
      reject(new Error(`cannot find this machine's address towards the API server ${host} (${err.message}); give --node-ip`));
    });
    socket.connect(port, host, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}
