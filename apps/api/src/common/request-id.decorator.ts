import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The id pino-http assigned to this request (also sent back as x-request-id). */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const id = ctx.switchToHttp().getRequest<Request>().id;
  return id === undefined ? undefined : String(id);
});
