// The images kctl builds itself (`kctl images prepare`), for there is no registry to pull from: the
// node agents run every pod's sandbox from PAUSE_IMAGE, and the examples and tests use BUSYBOX_IMAGE.

/** Debian's busybox-static (1.35 in Debian 12) on an otherwise empty root filesystem. */
export const BUSYBOX_IMAGE = 'busybox:1.35';

/** The pod sandbox: holds the pod's network and IPC namespaces, exits 0 on SIGTERM or SIGINT. */
export const PAUSE_IMAGE = 'kctl/pause:1.0';

/** `registry:5000/repo:tag` → repository and tag (or digest); no tag means `latest`, as Docker's CLI pulls. */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { repository: image.slice(0, at), tag: image.slice(at + 1) };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repository: image, tag: 'latest' };
}
