import { DomainError } from '@memfleet/db';
import type { z } from 'zod';
import type { FieldError } from './problem';

/** A request the API refuses before doing anything: each bad field with its reason. */
export class RequestValidationError extends DomainError {
  constructor(
    readonly errors: readonly FieldError[],
    readonly where: 'body' | 'query' | 'path' = 'body',
  ) {
    super(
      `the request ${where} is invalid: ` +
        errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    );
  }

  static fromZod(error: z.ZodError, where: 'body' | 'query' | 'path'): RequestValidationError {
    return new RequestValidationError(error.issues.flatMap(fieldErrorsOf), where);
  }
}

/**
 * `auth.privateKey`, `labels.env`. An unknown key is reported against the key itself, not its
 * parent, so the client sees which field to remove.
 */
function fieldErrorsOf(issue: z.core.$ZodIssue): FieldError[] {
  const base = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: 'unknown field' }));
  }
  return [{ field: base || '(root)', message: issue.message }];
}
