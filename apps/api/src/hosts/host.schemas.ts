import { z } from 'zod';

/**
 * The HTTP shapes of a host: request bodies, the response and the list query. One schema each
 * gives the type, the validation and the OpenAPI description.
 */

const HOST_STATES = [
  'never_collected',
  'ok',
  'degraded',
  'unreachable',
  'auth_failed',
  'host_key_mismatch',
] as const;

/** OpenSSH prints SHA-256 host key fingerprints as `SHA256:` + 43 chars of unpadded base64. */
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
  .describe('Unique name of the host');
const address = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_%[\]-]+$/, 'must be a host name or an IP address')
  .describe('Host name or IP address to reach over SSH');
const port = z.number().int().min(1).max(65535);
const username = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/, 'must be a valid login name');
const labels = z
  .record(
    z.string().regex(LABEL_KEY, 'label keys are 1-63 of [A-Za-z0-9._/-]'),
    z.string().max(253),
  )
  .refine((l) => Object.keys(l).length <= 64, 'at most 64 labels')
  .describe('Free-form string labels, used to filter hosts');
const intervalSeconds = z.number().int().min(10).max(86_400).describe('Collection interval');

export const authSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('privateKey'),
      privateKey: z.string().min(1).max(16_384).describe('OpenSSH or PEM private key'),
      passphrase: z.string().min(1).max(1_024).optional(),
    })
    .strict(),
  z.object({ type: z.literal('password'), password: z.string().min(1).max(1_024) }).strict(),
]);
export type HostAuth = z.infer<typeof authSchema>;

export const hostKeySchema = z
  .object({
    policy: z
      .enum(['tofu', 'pinned'])
      .describe('tofu: trust the first key seen; pinned: only this'),
    fingerprint: z
      .string()
      .regex(FINGERPRINT, 'must look like SHA256:<43 base64 characters>')
      .optional(),
  })
  .strict()
  .refine((k) => k.policy !== 'pinned' || k.fingerprint !== undefined, {
    message: 'a pinned host key needs its fingerprint',
    path: ['fingerprint'],
  });
export type HostKeyInput = z.infer<typeof hostKeySchema>;

/** SSH hosts need somewhere to connect and something to log in with; push hosts need neither. */
function requireSshFields(
  host: { collection?: string; address?: unknown; username?: unknown; auth?: unknown },
  ctx: z.core.$RefinementCtx,
): void {
  if (host.collection !== 'ssh') return;
  for (const field of ['address', 'username', 'auth'] as const) {
    if (host[field] === undefined || host[field] === null) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'required for ssh collection' });
    }
  }
}

export const createHostSchema = z
  .object({
    name,
    collection: z.enum(['ssh', 'push']).default('ssh'),
    address: address.optional(),
    port: port.default(22),
    username: username.optional(),
    auth: authSchema.optional(),
    useSudo: z.boolean().default(false).describe('Read root-only files with sudo -n'),
    labels: labels.default({}),
    intervalSeconds: intervalSeconds.default(60),
    enabled: z.boolean().default(true),
    hostKey: hostKeySchema.default({ policy: 'tofu' }),
  })
  .strict()
  // Run even when other fields failed, so one 400 lists every problem of the body.
  .superRefine(requireSshFields, {
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });
export type CreateHostInput = z.infer<typeof createHostSchema>;

/**
 * Every field optional, nothing defaulted: absent means "leave as is". `auth`, `address` and
 * `username` take null to clear them (turning a host into a push host). Whether the result still
 * makes a valid host is checked against the stored one.
 */
export const updateHostSchema = z
  .object({
    name: name.optional(),
    collection: z.enum(['ssh', 'push']).optional(),
    address: address.nullable().optional(),
    port: port.optional(),
    username: username.nullable().optional(),
    auth: authSchema.nullable().optional(),
    useSudo: z.boolean().optional(),
    labels: labels.optional().describe('Replaces all labels'),
    intervalSeconds: intervalSeconds.optional(),
    enabled: z.boolean().optional(),
    hostKey: hostKeySchema
      .optional()
      .describe('Replaces the policy; tofu without a fingerprint learns the next key seen'),
  })
  .strict();
export type UpdateHostInput = z.infer<typeof updateHostSchema>;

const isoDateTime = z.iso.datetime({ offset: true });

/** What the API shows of a host. Never a secret: only whether one is stored. */
export const hostResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  collection: z.enum(['ssh', 'push']),
  address: z.string().nullable(),
  port: z.number().int(),
  username: z.string().nullable(),
  useSudo: z.boolean(),
  labels: z.record(z.string(), z.string()),
  intervalSeconds: z.number().int(),
  enabled: z.boolean(),
  hostKey: z.object({ policy: z.enum(['tofu', 'pinned']), fingerprint: z.string().nullable() }),
  state: z.enum(HOST_STATES),
  lastSuccessAt: isoDateTime.nullable(),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  hasPrivateKey: z.boolean(),
  hasPassword: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type HostResponse = z.infer<typeof hostResponseSchema>;

export const hostPageSchema = z.object({
  items: z.array(hostResponseSchema),
  total: z.number().int().describe('Hosts matching the filters, over all pages'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
});
export type HostPageResponse = z.infer<typeof hostPageSchema>;

export const collectJobSchema = z.object({ jobId: z.string() });

/** `?label=env=prod&label=role=db` or `?labels[env]=prod`: every label given must match. */
export const hostListQuerySchema = z
  .object({
    label: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('key=value; repeat to require several labels. `labels[key]=value` also works'),
    state: z.enum(HOST_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(512).optional(),
  })
  .strict();

export const hostIdSchema = z.uuid({ message: 'must be a host id (uuid)' });
