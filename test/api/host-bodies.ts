import { uniqueName } from './api-harness';

export const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;

/** A valid ssh host body with a fresh name; override any field. */
export const sshHost = (overrides: Record<string, unknown> = {}) => ({
  name: uniqueName('web'),
  address: '10.0.0.5',
  username: 'memfleet',
  auth: { type: 'password', password: 'pw' },
  ...overrides,
});
