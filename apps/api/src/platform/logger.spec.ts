import { createLogger } from './logger';

/** Collects what the logger writes: the exact JSON lines that would reach stdout. */
function capture(): { lines: () => string; stream: { write: (s: string) => void } } {
  const chunks: string[] = [];
  return { lines: () => chunks.join(''), stream: { write: (s) => chunks.push(s) } };
}

describe('createLogger', () => {
  it('redacts secret fields at any of the first three levels and authorization headers', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.info(
      {
        password: 'canary-1',
        body: { privateKey: 'canary-2', auth: { passphrase: 'canary-3', secret: 'canary-4' } },
        req: { headers: { authorization: 'Bearer canary-5', cookie: 'sid=canary-6' } },
      },
      'hello',
    );
    const line = out.lines();
    expect(line).toContain('"msg":"hello"');
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/canary-\d/);
  });

  it('writes one JSON object per line at the configured level', () => {
    const out = capture();
    const logger = createLogger('warn', out.stream);
    logger.info('dropped');
    logger.warn('kept');
    const lines = out.lines().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 40, msg: 'kept' });
  });
});
