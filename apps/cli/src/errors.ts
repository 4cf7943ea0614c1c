/**
 * The two failures a user can fix, each with its documented exit code. Anything else that is
 * thrown is a bug in memfleet and exits 1 with a stack.
 */
export const EXIT_OK = 0;
/** Output could not be written, or a bug (the latter prints a stack). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INVALID_INPUT = 3;

/** Bad command line: unknown flag, missing value, conflicting options. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Input that cannot be read or is not what it claims to be. The message starts with
 * `FILE:LINE:` so editors and terminals can jump to it. Exit 3.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}

/** An output file that cannot be written (--save-bundle, capture --output). Exit 1, no stack. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}
