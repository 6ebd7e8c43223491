// A mail Parley cannot take, whatever happens later: the SMTP listener answers with `smtpCode`
// (5xx: the sending server returns it to its sender), IMAP import skips it.
export class EmailRejectedError extends Error {
  constructor(
    readonly smtpCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'EmailRejectedError';
  }
}
