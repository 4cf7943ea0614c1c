import { DomainError } from '@memfleet/db';
import type { FieldError } from '../common/problem';

/**
 * A pushed bundle that parsed as JSON but cannot become a snapshot: a provided /proc file that
 * the parser rejects (each named with its line), or no usable meminfo.
 */
export class SnapshotRejectedError extends DomainError {
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}
