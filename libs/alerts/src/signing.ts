import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Standard Webhooks v1 secrets are `whsec_` + base64 of the raw HMAC key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
// The spec asks for 24–64 random bytes: below 24 the key is guessable, above 64 HMAC-SHA256
// hashes the key first, so more bytes buy nothing.
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class WebhookSecretError extends Error {
  override readonly name = 'WebhookSecretError';
}

export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new WebhookSecretError(
      `a webhook secret needs ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} random bytes, got ${bytes}`,
    );
  }
  return WEBHOOK_SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/** Throws WebhookSecretError unless `secret` is `whsec_` + base64 of 24–64 bytes. */
export function assertWebhookSecret(secret: string): void {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new WebhookSecretError(`a webhook secret starts with ${WEBHOOK_SECRET_PREFIX}`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw new WebhookSecretError('a webhook secret is base64 after its whsec_ prefix');
  }
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new WebhookSecretError(
      `a webhook secret holds ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes, this one ${bytes}`,
    );
  }
}

/** A message id stays the same across every retry of one delivery, so receivers can dedupe. */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

export interface DeliveryToSign {
  id: string;
  /** The attempt's send time; re-sign on every attempt so the receiver's 5-minute window holds. */
  timestamp: Date;
  /** The exact bytes that will be sent: the signature covers them, not a re-serialisation. */
  body: string;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs one delivery with every active secret. During a rotation overlap the endpoint holds
 * both the old and the new secret, so both signatures go out and a receiver that knows
 * either one accepts the message.
 */
export function signDelivery(delivery: DeliveryToSign, secrets: readonly string[]): WebhookHeaders {
  if (secrets.length === 0) throw new WebhookSecretError('signing needs at least one secret');
  if (delivery.id.length === 0) throw new WebhookSecretError('a delivery needs a message id');
  const signatures = secrets.map((secret) => {
    assertWebhookSecret(secret);
    return new Webhook(secret).sign(delivery.id, delivery.timestamp, delivery.body);
  });
  return {
    'webhook-id': delivery.id,
    'webhook-timestamp': String(Math.floor(delivery.timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
