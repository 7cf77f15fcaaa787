// Errors the CLI reports itself (kubectl's `error: ...`), as opposed to Status errors from the server.
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Printed without the `error: ` prefix, as kubectl prints some errors (a resource type it cannot map). */
    readonly bare = false,
  ) {
    super(message);
  }
}
