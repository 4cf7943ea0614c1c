/**
 * Every parser returns one of three outcomes and never throws anything else:
 * - `ok`: the parsed value;
 * - `unavailable`: the file exists but told us nothing we may treat as data, e.g. an empty
 *   `/proc/slabinfo` read without root (mode 0400). Not an error: the host is `degraded`;
 * - `error`: the text is not what the kernel prints; names the file, the 1-based line and why.
 */
export class ProcfsParseError extends Error {
  override readonly name = 'ProcfsParseError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

export type Parsed<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'error'; readonly error: ProcfsParseError };

export const ok = <T>(value: T): Parsed<T> => ({ kind: 'ok', value });
export const unavailable = <T>(reason: string): Parsed<T> => ({ kind: 'unavailable', reason });
export const failed = <T>(file: string, line: number, reason: string): Parsed<T> => ({
  kind: 'error',
  error: new ProcfsParseError(file, line, reason),
});
