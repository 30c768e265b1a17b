/** An error whose message is meant for the user as it is: no stack trace is shown. */
export class UserError extends Error {
  constructor(
    message: string,
    /** 1 for a failure of the work itself (a file that does not load), 2 for a bad invocation. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
