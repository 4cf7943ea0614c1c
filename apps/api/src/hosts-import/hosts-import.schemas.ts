import { z } from 'zod';
import {
  authSchema,
  createHostSchema,
  hostResponseSchema,
  updateHostSchema,
} from '../hosts/host.schemas';

/** 1 MiB of inventory is tens of thousands of host lines; the JSON body limit still applies. */
export const MAX_INVENTORY_CHARS = 1_048_576;

/**
 * What every imported host gets unless the inventory says otherwise. Inventories rarely hold
 * keys (and we ignore ansible_password & co. on purpose), so `auth` is required here. Host keys
 * are always trust-on-first-use: one pinned fingerprint cannot be right for a whole fleet.
 */
export const importDefaultsSchema = z
  .object({
    username: createHostSchema.shape.username.describe('Used when a host has no ansible_user'),
    port: updateHostSchema.shape.port.describe('Used when a host has no ansible_port (else 22)'),
    auth: authSchema.describe('Credentials for every imported host; never echoed'),
    useSudo: z.boolean().default(false),
    intervalSeconds: updateHostSchema.shape.intervalSeconds,
    labels: updateHostSchema.shape.labels.describe('Added to every host, beside group labels'),
  })
  .strict();
export type ImportDefaults = z.infer<typeof importDefaultsSchema>;

export const importHostsSchema = z
  .object({
    format: z
      .enum(['ini', 'yaml', 'auto'])
      .default('auto')
      .describe('auto: INI when a line opens a [section], YAML when the text is a mapping'),
    inventory: z.string().min(1).max(MAX_INVENTORY_CHARS).describe('Ansible inventory text'),
    defaults: importDefaultsSchema,
  })
  .strict();
export type ImportHostsInput = z.infer<typeof importHostsSchema>;

export const importReportSchema = z.object({
  format: z.enum(['ini', 'yaml']).describe('The syntax the inventory was read as'),
  created: z.array(hostResponseSchema),
  skipped: z
    .array(z.object({ name: z.string(), reason: z.string() }))
    .describe('Hosts whose name is already registered; left untouched'),
  invalid: z
    .array(z.object({ name: z.string(), line: z.number().int(), reason: z.string() }))
    .describe('Entries that could not become a host, with the inventory line'),
  summary: z.object({
    created: z.number().int(),
    skipped: z.number().int(),
    invalid: z.number().int(),
  }),
});
export type ImportReport = z.infer<typeof importReportSchema>;
