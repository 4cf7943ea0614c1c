import { Job, UnrecoverableError } from 'bullmq';
import { QUEUE, collectHostPayloadSchema } from '@memfleet/queue';
import {
  MissingJobHandlerError,
  assertHandlesEveryJob,
  dispatch,
  payloadOf,
  type QueueProcessor,
} from './queue-processor';

/** A Job as BullMQ hands it to a processor; only name and data matter to these functions. */
const jobOf = (name: string, data: unknown): Job => ({ name, data }) as Job;

describe('assertHandlesEveryJob', () => {
  it('refuses a processor that lacks a handler for a job name of its queue', () => {
    const processor: QueueProcessor = { queueName: QUEUE.collect, handlers: {} };
    expect(() => assertHandlesEveryJob(processor)).toThrow(MissingJobHandlerError);
    expect(() => assertHandlesEveryJob(processor)).toThrow(
      /"collect" has no handler for job name\(s\): collect-host/,
    );
  });

  it('accepts a processor that handles every job name', () => {
    const processor: QueueProcessor = {
      queueName: QUEUE.collect,
      handlers: { 'collect-host': async () => 'done' },
    };
    expect(() => assertHandlesEveryJob(processor)).not.toThrow();
  });
});

describe('dispatch', () => {
  const processor: QueueProcessor = {
    queueName: QUEUE.collect,
    handlers: { 'collect-host': async (job) => `handled ${String(job.data)}` },
  };

  it('runs the handler named by job.name', async () => {
    await expect(dispatch(processor, jobOf('collect-host', 'x'))).resolves.toBe('handled x');
  });

  it('fails a job with an unknown name without retry', () => {
    expect(() => dispatch(processor, jobOf('nope', {}))).toThrow(UnrecoverableError);
  });
});

describe('payloadOf', () => {
  it('returns a valid payload', () => {
    const data = { hostId: 'h1', reason: 'manual', requestId: 'r1' };
    expect(payloadOf(collectHostPayloadSchema, jobOf('collect-host', data))).toEqual(data);
  });

  it('fails a malformed payload without retry, naming every bad field', () => {
    const run = () =>
      payloadOf(collectHostPayloadSchema, jobOf('collect-host', { reason: 'later' }));
    expect(run).toThrow(UnrecoverableError);
    expect(run).toThrow(/hostId: .*; reason: /);
  });
});
