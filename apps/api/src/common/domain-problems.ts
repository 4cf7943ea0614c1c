import {
  DatabaseUnavailableError,
  DomainError,
  InvalidCursorError,
  HostNameTakenError,
  HostNotFoundError,
  NoPresentedHostKeyError,
  SnapshotNotFoundError,
} from '@memfleet/db';
import { HostNotCollectableError, QueueUnavailableError } from '../hosts/host.errors';
import { SnapshotRejectedError } from '../snapshots/snapshot.errors';
import type { FieldError } from './problem';
import { RequestValidationError } from './request-validation.error';

/** A domain error class the API knows how to answer, with its status and problem type. */
export interface DomainProblemMapping {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly error: abstract new (...args: any[]) => DomainError;
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly errors?: (error: DomainError) => readonly FieldError[] | undefined;
  /** Replaces the error's message when that may name internals (hosts, drivers); logs keep it. */
  readonly detail?: string;
}

/** Every domain error the API answers, first match wins; anything else is a 500. */
export const DOMAIN_PROBLEMS: readonly DomainProblemMapping[] = [
  {
    error: RequestValidationError,
    status: 400,
    slug: 'validation-failed',
    title: 'The request is invalid',
    errors: (e) => (e as RequestValidationError).errors,
  },
  {
    error: InvalidCursorError,
    status: 400,
    slug: 'invalid-cursor',
    title: 'The cursor is not valid for this list',
    errors: () => [{ field: 'cursor', message: 'pass nextCursor of the previous page unchanged' }],
  },
  {
    error: DatabaseUnavailableError,
    status: 503,
    slug: 'database-unavailable',
    title: 'The database is unavailable',
    detail: 'The database does not answer; retry shortly.',
  },
  {
    error: QueueUnavailableError,
    status: 503,
    slug: 'queue-unavailable',
    title: 'The collect queue is unavailable',
  },
  { error: HostNotFoundError, status: 404, slug: 'host-not-found', title: 'Host not found' },
  {
    error: SnapshotNotFoundError,
    status: 404,
    slug: 'snapshot-not-found',
    title: 'Snapshot not found',
  },
  {
    error: HostNameTakenError,
    status: 409,
    slug: 'host-name-taken',
    title: 'Host name already in use',
    errors: (e) => [{ field: 'name', message: e.message }],
  },
  {
    error: NoPresentedHostKeyError,
    status: 409,
    slug: 'no-presented-host-key',
    title: 'No host key to trust',
  },
  {
    error: HostNotCollectableError,
    status: 409,
    slug: 'host-not-collectable',
    title: 'Host is not collected over SSH',
  },
  {
    error: SnapshotRejectedError,
    status: 400,
    slug: 'snapshot-rejected',
    title: 'The snapshot bundle cannot be stored',
    errors: (e) => (e as SnapshotRejectedError).errors,
  },
];
