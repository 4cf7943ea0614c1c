import { Webhook } from 'standardwebhooks';
import { deliverOnce } from './deliver';
import { nextDelay } from './retry-schedule';
import { generateWebhookSecret, newMessageId, signDelivery } from './signing';
import { createGuardedAgents, parseAllowList } from './ssrf-guard';
import { closeReceivers, startReceiver, type Handler } from './test-receiver';

const receiver = (handler: Handler, host?: string) => startReceiver(handler, { host });

afterAll(closeReceivers);

const loopback = createGuardedAgents(parseAllowList('127.0.0.0/8'));
const strict = createGuardedAgents(parseAllowList(undefined));
const body = JSON.stringify({ type: 'finding.opened', host: 'db-1' });

function signed(secret: string, id = newMessageId()): Record<string, string> {
  return { ...signDelivery({ id, timestamp: new Date(), body }, [secret]) };
}

describe('deliverOnce to real loopback receivers', () => {
  it('delivers a body the receiver verifies with the Standard Webhooks library', async () => {
    const secret = generateWebhookSecret();
    const r = await receiver((req, res) => {
      try {
        new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
        res.writeHead(204).end();
      } catch {
        res.writeHead(401).end();
      }
    });
    const outcome = await deliverOnce({
      url: r.url,
      body,
      headers: signed(secret),
      agents: loopback,
    });
    expect(outcome).toMatchObject({ ok: true, status: 204, gone: false });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.received[0]?.body).toBe(body);
    expect(r.received[0]?.headers['content-type']).toBe('application/json');

    const forged = await deliverOnce({
      url: r.url,
      body,
      headers: signed(generateWebhookSecret()),
      agents: loopback,
    });
    expect(forged).toMatchObject({ ok: false, status: 401, gone: false });
  });

  it('retries a 503 after its Retry-After and keeps the webhook-id across attempts', async () => {
    const secret = generateWebhookSecret();
    const r = await receiver((req, res, n) => {
      new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
      if (n === 1) res.writeHead(503, { 'retry-after': '7' }).end();
      else res.writeHead(200).end('ok');
    });
    const id = newMessageId();
    const first = await deliverOnce({
      url: r.url,
      body,
      headers: signed(secret, id),
      agents: loopback,
    });
    expect(first).toMatchObject({ ok: false, status: 503, gone: false, retryAfterSeconds: 7 });
    expect(nextDelay(1, [1, 2, 5], first.retryAfterSeconds, { jitter: 0 })).toBe(5000);
    expect(nextDelay(1, [1, 60], first.retryAfterSeconds, { jitter: 0 })).toBe(7000);

    const second = await deliverOnce({
      url: r.url,
      body,
      headers: signed(secret, id),
      agents: loopback,
    });
    expect(second).toMatchObject({ ok: true, status: 200 });
    expect(r.received.map((x) => x.headers['webhook-id'])).toEqual([id, id]);
  });

  it('reports 410 as gone so the endpoint can be disabled', async () => {
    const r = await receiver((_req, res) => res.writeHead(410).end());
    const outcome = await deliverOnce({ url: r.url, body, headers: {}, agents: loopback });
    expect(outcome).toMatchObject({ ok: false, status: 410, gone: true });
  });

  it('gives up on a receiver that never answers after the timeout', async () => {
    const r = await receiver(() => undefined);
    const outcome = await deliverOnce({
      url: r.url,
      body,
      headers: {},
      timeoutMs: 200,
      agents: loopback,
    });
    expect(outcome).toMatchObject({ ok: false, gone: false, error: 'timeout after 200 ms' });
    expect(outcome.status).toBeUndefined();
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(190);
    expect(r.received).toHaveLength(1);
  });

  it('does not follow a redirect to a private address and reports the Location', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end());
    for (const location of [target.url, 'http://10.0.0.1/steal']) {
      const r = await receiver((_req, res) => res.writeHead(302, { location }).end());
      const outcome = await deliverOnce({ url: r.url, body, headers: {}, agents: loopback });
      expect(outcome).toMatchObject({ ok: false, status: 302, gone: false, location });
      expect(outcome.error).toContain(location);
    }
    expect(target.connections()).toBe(0);
  });
});

describe('deliverOnce refuses private destinations before connecting', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['localhost', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
  ])('sends nothing to a listening receiver at %s', async (target, listenOn) => {
    const r = await receiver((_req, res) => res.writeHead(200).end(), listenOn);
    const host = target.includes(':') ? `[${target}]` : target;
    const outcome = await deliverOnce({
      url: `http://${host}:${r.port}/hook`,
      body,
      headers: {},
      agents: strict,
    });
    expect(outcome).toMatchObject({ ok: false, refused: true, gone: false });
    expect(outcome.status).toBeUndefined();
    expect(r.connections()).toBe(0);
  });

  it.each(['10.0.0.1', '172.16.0.1', '192.168.1.1', '100.64.0.1', '[fd00::1]', '[fe80::1]'])(
    'refuses %s with the guard error, not a network error',
    async (host) => {
      const outcome = await deliverOnce({
        url: `http://${host}:9/hook`,
        body,
        headers: {},
        agents: strict,
      });
      expect(outcome).toMatchObject({ ok: false, refused: true });
      expect(outcome.error).toMatch(/^refused to connect to /);
    },
  );

  it('refuses the metadata address even with the allow-list 0.0.0.0/0', async () => {
    const open = createGuardedAgents(parseAllowList('0.0.0.0/0,::/0'));
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'https://169.254.169.254/']) {
      const outcome = await deliverOnce({ url, body, headers: {}, agents: open });
      expect(outcome).toMatchObject({ ok: false, refused: true });
      expect(outcome.error).toMatch(/never allowed/);
    }
  });

  it('refuses by default when no agents are given', async () => {
    const r = await receiver((_req, res) => res.writeHead(200).end());
    const outcome = await deliverOnce({ url: r.url, body, headers: {} });
    expect(outcome).toMatchObject({ ok: false, refused: true });
    expect(r.connections()).toBe(0);
  });

  it('delivers to localhost once the allow-list admits loopback', async () => {
    const r = await receiver((_req, res) => res.writeHead(200).end());
    const outcome = await deliverOnce({
      url: `http://localhost:${r.port}/hook`,
      body,
      headers: {},
      agents: loopback,
    });
    expect(outcome).toMatchObject({ ok: true, status: 200 });
  });

  it('reports unsupported schemes without throwing', async () => {
    await expect(deliverOnce({ url: 'ftp://8.8.8.8/', body, headers: {} })).resolves.toMatchObject({
      ok: false,
      error: 'unsupported scheme ftp:',
    });
  });
});
