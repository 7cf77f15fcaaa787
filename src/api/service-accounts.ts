// Names the service account machinery agrees on: the admission plugin that mounts them into pods and
// the controllers that make them exist in every namespace.

/** The service account a pod runs as when it names none; the ServiceAccount controller makes one per namespace. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** Where the kube-api-access volume (token, CA, namespace) is mounted in every container. */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The ConfigMap with the cluster's CA bundle, published to every namespace. */
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
