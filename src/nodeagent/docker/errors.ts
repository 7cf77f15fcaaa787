// What goes wrong talking to the Docker engine: an engine that refused a request (DockerError, with
// the engine's own message) or no engine at all (DockerUnavailableError), which the node agent
// reports as a NotReady node rather than as a failed pod.

export class DockerError extends Error {
  override readonly name = 'DockerError';

  /**
   * @param statusCode the HTTP status of the engine's answer; a failure reported inside a 200
   *   stream (image build and import) is given 500, as the engine failed the request.
   */
  constructor(
    message: string,
    readonly statusCode: number,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export class DockerUnavailableError extends Error {
  override readonly name = 'DockerUnavailableError';

  constructor(
    readonly socketPath: string,
    cause: Error & { code?: string },
  ) {
    super(
      cause.code === 'EACCES'
        ? `permission denied on ${socketPath}: run as root or as a member of the docker group`
        : `no Docker engine answers on ${socketPath}: run scripts/ensure-docker.sh`,
      { cause },
    );
  }
}

function hasStatus(err: unknown, statusCode: number): boolean {
  return err instanceof DockerError && err.statusCode === statusCode;
}

/** No such container, image, network, volume or exec. */
export function isNotFound(err: unknown): boolean {
  return hasStatus(err, 404);
}

/** A name already in use, an image in use by a container, a container being removed, … */
export function isConflict(err: unknown): boolean {
  return hasStatus(err, 409);
}
