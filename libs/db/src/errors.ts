/**
 * Domain errors raised by repositories. The API's global filter maps them to problem+json;
 * the worker classifies them. Nothing here knows about HTTP.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class HostNotFoundError extends DomainError {
  constructor(readonly hostId: string) {
    super(`host ${hostId} does not exist`);
  }
}

export class HostNameTakenError extends DomainError {
  constructor(readonly hostName: string) {
    super(`a host named "${hostName}" already exists`);
  }
}

export class SnapshotNotFoundError extends DomainError {
  constructor(readonly snapshotId: string) {
    super(`snapshot ${snapshotId} does not exist`);
  }
}

export class NoPresentedHostKeyError extends DomainError {
  constructor(readonly hostId: string) {
    super(`host ${hostId} has no presented host key to trust: no mismatch was recorded`);
  }
}

export class InvalidCursorError extends DomainError {
  constructor(readonly cursor: string) {
    super(`cursor "${cursor}" was not issued by this list`);
  }
}

/** DATABASE_URL is missing, malformed or names a server that does not answer. */
export class DatabaseUnavailableError extends DomainError {}
