import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { deliverOnce } from './deliver';
import { generateWebhookSecret, newMessageId, signDelivery } from './signing';
import {
  checkUrlAtCreation,
  createGuardedAgents,
  EMPTY_ALLOW_LIST,
  parseAllowList,
  type Resolve,
} from './ssrf-guard';
import { closeReceivers, startReceiver } from './test-receiver';

// A self-signed certificate for localhost, 127.0.0.1 and ::1, valid until 2126.
const fixtures = join(__dirname, '..', 'test-fixtures');
const tls = {
  key: readFileSync(join(fixtures, 'loopback.key.pem'), 'utf8'),
  cert: readFileSync(join(fixtures, 'loopback.cert.pem'), 'utf8'),
};
const loopback = parseAllowList('127.0.0.0/8');
const body = '{"type":"finding.opened"}';

afterAll(closeReceivers);

describe('the guarded https agent', () => {
  it('delivers a signed body over TLS to an allowed receiver', async () => {
    const secret = generateWebhookSecret();
    const r = await startReceiver(
      (req, res) => {
        new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
        res.writeHead(202).end();
      },
      { tls },
    );
    const headers = {
      ...signDelivery({ id: newMessageId(), timestamp: new Date(), body }, [secret]),
    };
    const agents = createGuardedAgents(loopback, { https: { ca: tls.cert } });
    for (const url of [r.url, r.url.replace('127.0.0.1', 'localhost')]) {
      expect(await deliverOnce({ url, body, headers, agents })).toMatchObject({
        ok: true,
        status: 202,
      });
    }
  });

  it('refuses a private TLS receiver before the TCP handshake', async () => {
    const r = await startReceiver((_req, res) => res.writeHead(200).end(), { tls });
    const agents = createGuardedAgents(EMPTY_ALLOW_LIST, { https: { ca: tls.cert } });
    for (const url of [r.url, r.url.replace('127.0.0.1', 'localhost')]) {
      expect(await deliverOnce({ url, body, headers: {}, agents })).toMatchObject({
        ok: false,
        refused: true,
      });
    }
    expect(r.connections()).toBe(0);
  });
});

describe('DNS rebinding', () => {
  const answer = (address: string) => ({ address, family: address.includes(':') ? 6 : 4 });

  it('refuses at connect a name that passed the creation check and then re-resolved to loopback', async () => {
    const r = await startReceiver((_req, res) => res.writeHead(200).end());
    let lookups = 0;
    // First answer public, every later one loopback: what a rebinding DNS server does.
    const rebinding: Resolve = (_host, _opts, cb) =>
      cb(null, [answer(++lookups === 1 ? '93.184.216.34' : '127.0.0.1')]);
    const url = `http://hooks.example.test:${r.port}/hook`;

    expect(await checkUrlAtCreation(url, EMPTY_ALLOW_LIST, rebinding)).toEqual({
      ok: true,
      addresses: ['93.184.216.34'],
    });
    const agents = createGuardedAgents(EMPTY_ALLOW_LIST, { resolve: rebinding });
    const outcome = await deliverOnce({ url, body, headers: {}, agents });
    expect(outcome).toMatchObject({ ok: false, refused: true });
    expect(outcome.error).toContain('hooks.example.test');
    expect(lookups).toBe(2);
    expect(r.connections()).toBe(0);
  });

  it('connects to the admitted address when one answer is refused and another is allowed', async () => {
    const r = await startReceiver((_req, res) => res.writeHead(200).end());
    const mixed: Resolve = (_host, _opts, cb) =>
      cb(null, [answer('10.0.0.1'), answer('127.0.0.1')]);
    const agents = createGuardedAgents(loopback, { resolve: mixed });
    const outcome = await deliverOnce({
      url: `http://hooks.example.test:${r.port}/hook`,
      body,
      headers: {},
      agents,
    });
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(r.received).toHaveLength(1);
  });
});
