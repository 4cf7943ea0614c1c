import {
  CollectionTimeoutError,
  CollectorError,
  OutputTooLargeError,
  UnreachableError,
} from './errors';
import type { SshConnection } from './ssh-connection';

export interface CommandLimits {
  readonly commandTimeoutMs: number;
  readonly maxOutputBytes: number;
}

export interface CommandOutput {
  readonly stdout: Buffer;
  readonly exitCode: number | null;
}

/** Thrown when the channel could not even be opened: the pooled connection may be stale. */
export class ChannelOpenError extends UnreachableError {}

/**
 * Runs one exec (no pty) and gathers stdout as chunks, concatenated once at the end. A host that
 * hangs or floods is cut off by destroying its connection: closing just the channel would leave a
 * misbehaving peer holding our socket, and the pool reconnects next time anyway.
 */
export function runCommand(
  conn: SshConnection,
  hostId: string,
  command: string,
  limits: CommandLimits,
): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let exitCode: number | null = null;
    let settled = false;
    let unsubscribe = (): void => undefined;

    const settle = (err: CollectorError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      if (err) reject(err);
      else resolve({ stdout: Buffer.concat(chunks, total), exitCode });
    };
    const cutOff = (err: CollectorError) => {
      settle(err);
      chunks.length = 0;
      conn.destroy();
    };

    const timer = setTimeout(
      () => cutOff(new CollectionTimeoutError(hostId, limits.commandTimeoutMs)),
      limits.commandTimeoutMs,
    );
    // Unsubscribed on settle: a pooled connection serves thousands of collections.
    unsubscribe = conn.onClose(() =>
      settle(new UnreachableError(hostId, `connection to ${hostId} was lost during collection`)),
    );

    try {
      conn.client.exec(command, (err, stream) => {
        if (err) {
          settle(
            new ChannelOpenError(hostId, `${hostId} refused the exec channel: ${err.message}`, {
              cause: err,
            }),
          );
          return;
        }
        if (settled) {
          stream.close();
          return;
        }
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          total += chunk.length;
          if (total > limits.maxOutputBytes) {
            cutOff(new OutputTooLargeError(hostId, limits.maxOutputBytes));
            return;
          }
          chunks.push(chunk);
        });
        // stderr of the whole script is diagnostics only; per-section stderr is in the framing.
        stream.stderr.resume();
        stream.on('exit', (code: number | null) => {
          exitCode = code;
        });
        // A dropped connection closes the channel first; let the client's close land before deciding.
        stream.on('close', () =>
          setImmediate(() =>
            settle(
              exitCode === null && conn.closed()
                ? new UnreachableError(hostId, `connection to ${hostId} was lost during collection`)
                : undefined,
            ),
          ),
        );
      });
    } catch (err) {
      // ssh2 throws "Not connected" synchronously when the socket died before it noticed.
      const why = err instanceof Error ? err.message : String(err);
      settle(
        new ChannelOpenError(hostId, `${hostId}: connection unusable (${why})`, { cause: err }),
      );
    }
  });
}
