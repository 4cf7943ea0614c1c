import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { DomainError } from '@memfleet/db';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, problemType, type FieldError, type Problem } from './problem';
import { DOMAIN_PROBLEMS } from './domain-problems';

type ProblemCore = Pick<Problem, 'type' | 'title' | 'status' | 'detail'> & {
  errors?: readonly FieldError[];
};

/**
 * The one error shape: every failure leaves the API as RFC 9457 problem+json. A 500 carries only
 * an error id; the stack goes to the log under that id.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const core = this.classify(exception);
    const requestId = String(req.id ?? res.getHeader('x-request-id') ?? '');
    const problem: Problem = {
      ...core,
      errors: core.errors ? [...core.errors] : undefined,
      instance: (req.originalUrl ?? req.url).split('?')[0] ?? '',
      requestId,
    };
    if (core.status >= 500) {
      problem.errorId = randomUUID();
      this.logger.error(
        { err: exception, errorId: problem.errorId, requestId },
        'unhandled error while serving request',
      );
    }
    if (res.headersSent) return;
    res.status(core.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private classify(exception: unknown): ProblemCore {
    if (exception instanceof DomainError) {
      const mapping = DOMAIN_PROBLEMS.find((m) => exception instanceof m.error);
      if (mapping) {
        return {
          type: problemType(mapping.slug),
          title: mapping.title,
          status: mapping.status,
          detail: mapping.detail ?? exception.message,
          errors: mapping.errors?.(exception),
        };
      }
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    return {
      type: problemType('internal-error'),
      title: 'Internal server error',
      status: 500,
      detail: 'The server failed to handle the request; quote the errorId when reporting it.',
    };
  }
}

/** Nest's own exceptions: unknown routes and what Express's body parser rejects. */
function fromHttpException(exception: HttpException): ProblemCore {
  const status = exception.getStatus();
  const cause = exception.cause as { type?: string; limit?: number } | undefined;
  if (status === 413) {
    return {
      type: problemType('payload-too-large'),
      title: 'Request body too large',
      status,
      detail:
        cause?.limit === undefined
          ? 'The request body is larger than the server accepts.'
          : `The request body is larger than the ${cause.limit} bytes the server accepts.`,
    };
  }
  if (status === 400 && (cause instanceof SyntaxError || cause?.type === 'entity.parse.failed')) {
    return {
      type: problemType('malformed-json'),
      title: 'Malformed JSON',
      status,
      detail: 'The request body is not valid JSON.',
    };
  }
  if (status === 404) {
    return {
      type: problemType('route-not-found'),
      title: 'Not found',
      status,
      detail: exception.message,
    };
  }
  if (status >= 500) {
    return {
      type: problemType('internal-error'),
      title: 'Internal server error',
      status,
      detail: 'The server failed to handle the request; quote the errorId when reporting it.',
    };
  }
  return {
    type: problemType(`http-${status}`),
    title: exception.name,
    status,
    detail: exception.message,
  };
}
