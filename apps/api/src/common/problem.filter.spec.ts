import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HostNotFoundError } from '@memfleet/db';
import request from 'supertest';
import { createHttpLogger, createLogger } from '../platform/logger';
import { ProblemFilter } from './problem.filter';

/** Routes that fail the ways real handlers can, behind the production filter and logger. */
@Controller('boom')
class BoomController {
  @Get('unexpected')
  unexpected(): never {
    throw new Error('db password is hunter2 at /srv/app/secret.ts:12');
  }

  @Get('domain')
  domain(): never {
    throw new HostNotFoundError('h-1');
  }
}

@Module({ controllers: [BoomController] })
class BoomModule {}

let app: INestApplication;
const logged: string[] = [];
beforeAll(async () => {
  const logger = createLogger('error', { write: (line: string) => logged.push(line) });
  app = await NestFactory.create(BoomModule, { logger: false });
  app.use(createHttpLogger(logger));
  app.useGlobalFilters(new ProblemFilter(logger));
  await app.init();
});
afterAll(() => app.close());

describe('ProblemFilter', () => {
  it('answers an unexpected error with a 500 problem: an error id, no message, no stack', async () => {
    const res = await request(app.getHttpServer()).get('/boom/unexpected').expect(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:memfleet:problem:internal-error',
      title: 'Internal server error',
      status: 500,
      detail: expect.stringMatching(/errorId/),
      instance: '/boom/unexpected',
      requestId: res.headers['x-request-id'],
      errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(res.text).not.toMatch(/hunter2|secret\.ts|\bat /);
    // The error id is what an operator greps the log for.
    expect(logged.join('')).toContain(res.body.errorId as string);
  });

  it('maps a domain error to its status and problem type', async () => {
    const res = await request(app.getHttpServer()).get('/boom/domain').expect(404);
    expect(res.body).toMatchObject({
      type: 'urn:memfleet:problem:host-not-found',
      title: 'Host not found',
      detail: 'host h-1 does not exist',
    });
    expect(res.body).not.toHaveProperty('errorId');
  });
});
