// The CLI's one error type: a message printed as `sentinel-sim: <message>` with an exit code, never a stack.
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
