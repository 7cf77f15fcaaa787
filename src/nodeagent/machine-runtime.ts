// The node agent's one entry for the CLI: what `kctl cluster up/down`, `kctl images`, `kctl join`
// and the simulated machines do to a machine's container engine and network, with the agent's own
// code (the Docker Engine client, the cluster network and objects, the service and policy rules, the
// node's credentials). The CLI imports nothing else of src/nodeagent; the import-graph test holds it so.
export { DockerClient } from './docker/docker-client.js';
export { DockerError, DockerUnavailableError, isNotFound } from './docker/errors.js';
export { dockerSocketPath, engineAnswers } from './docker/engine-socket.js';
export { BusyboxMissingError, OFFLINE_IMAGES, prepareOfflineImages, type PreparedImage } from './docker/offline-images.js';
export { claimPodNetwork } from './pods/pod-network.js';
export { removeClusterObjects, removeNodeContainers } from './pods/cluster-objects.js';
export { removeMachineRules } from './machine-rules.js';
export { MACHINE_MAX_PODS } from './capacity.js';
export { certificateFile, readCredentials } from './credentials/certificate-store.js';
