import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  assertWebhookSecret,
  generateWebhookSecret,
  newMessageId,
  signDelivery,
  WebhookSecretError,
} from './signing';

// The reference vector from standard-webhooks/libraries/javascript/src/webhook.test.ts.
const REFERENCE = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: new Date(1614265330 * 1000),
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('generateWebhookSecret', () => {
  it('returns whsec_ + base64 of the requested number of random bytes', () => {
    for (const bytes of [24, 32, 64]) {
      const secret = generateWebhookSecret(bytes);
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(bytes);
      expect(() => assertWebhookSecret(secret)).not.toThrow();
    }
  });

  it('never returns the same secret twice', () => {
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
  });

  it('refuses sizes outside 24–64 bytes', () => {
    expect(() => generateWebhookSecret(23)).toThrow(WebhookSecretError);
    expect(() => generateWebhookSecret(65)).toThrow(WebhookSecretError);
  });
});

describe('assertWebhookSecret', () => {
  it('rejects a missing prefix, non-base64 and a too-short key', () => {
    expect(() => assertWebhookSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow(/whsec_/);
    expect(() => assertWebhookSecret('whsec_not base64!')).toThrow(/base64/);
    expect(() => assertWebhookSecret('whsec_' + Buffer.alloc(16).toString('base64'))).toThrow(
      /24–64 bytes, this one 16/,
    );
  });
});

describe('signDelivery', () => {
  it('reproduces the Standard Webhooks reference signature', () => {
    const headers = signDelivery(REFERENCE, [REFERENCE.secret]);
    expect(headers).toEqual({
      'webhook-id': REFERENCE.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': REFERENCE.signature,
    });
  });

  it('produces headers the library verifies with the same secret and rejects with another', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ host: 'db-1', finding: 'slab_regrowth' });
    const headers = signDelivery({ id: newMessageId(), timestamp: new Date(), body }, [secret]);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secret).verify(body + ' ', { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it('sends one v1 signature per secret so receivers on either side of a rotation verify', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const body = '{"a":1}';
    const headers = signDelivery({ id: 'msg_1', timestamp: new Date(), body }, [
      oldSecret,
      newSecret,
    ]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers })).not.toThrow();
  });

  it('refuses to sign without a secret or with a malformed one', () => {
    const delivery = { id: 'msg_1', timestamp: new Date(), body: '{}' };
    expect(() => signDelivery(delivery, [])).toThrow(WebhookSecretError);
    expect(() => signDelivery(delivery, ['whsec_short'])).toThrow(WebhookSecretError);
  });
});

describe('newMessageId', () => {
  it('returns distinct msg_ ids', () => {
    const a = newMessageId();
    expect(a).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(newMessageId()).not.toBe(a);
  });
});
