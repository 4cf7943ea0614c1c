import { z } from 'zod';
import { findingKindSchema, kindsParam, severitySchema } from '../findings/findings.schemas';

/** HTTP shapes of the fleet views. */

const isoDateTime = z.iso.datetime({ offset: true });
const hostStateSchema = z.enum([
  'never_collected',
  'ok',
  'degraded',
  'unreachable',
  'auth_failed',
  'host_key_mismatch',
]);

/** `label=env=prod` (repeatable): every label given must match, as in GET /hosts. */
const labelParam = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [v].flat())
  .pipe(z.array(z.string().regex(/^[^=]+=.*$/, 'must look like key=value')))
  .transform((pairs) =>
    Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])),
  )
  .optional()
  .describe('key=value; repeat to require several labels');

export const fleetFragmentationQuerySchema = z
  .object({
    order: z.coerce.number().int().min(0).max(10).default(4).describe('Allocation order, 0..10'),
    zone: z
      .string()
      .min(1)
      .max(32)
      .optional()
      .describe('Zone name (Normal, DMA32, ...); default every zone but DMA'),
    label: labelParam,
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict();
export type FleetFragmentationQueryInput = z.infer<typeof fleetFragmentationQuerySchema>;

export const fleetFragmentationSchema = z.object({
  items: z.array(
    z.object({
      hostId: z.string(),
      hostName: z.string(),
      subject: z.string().describe('The worst zone of the host at this order'),
      zone: z.string(),
      unusableIndex: z.number().describe('Unusable free space index at the order, 0..1'),
      freeBytes: z.number().int(),
      collectedAt: isoDateTime.describe('The snapshot the index comes from'),
      fragmentedSince: isoDateTime
        .nullable()
        .describe('Start of the open fragmentation finding of this zone (order-4 detector)'),
      fragmentedForSeconds: z
        .number()
        .int()
        .nullable()
        .describe('From fragmentedSince to collectedAt: how long, as of the latest snapshot'),
    }),
  ),
});

export const fleetFindingsQuerySchema = z
  .object({
    kind: kindsParam,
    label: labelParam,
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type FleetFindingsQueryInput = z.infer<typeof fleetFindingsQuerySchema>;

export const fleetFindingsSchema = z.object({
  items: z.array(
    z.object({
      hostId: z.string(),
      hostName: z.string(),
      labels: z.record(z.string(), z.string()),
      state: hostStateSchema,
      worstSeverity: severitySchema,
      findings: z.array(
        z.object({
          id: z.string(),
          kind: findingKindSchema,
          severity: severitySchema,
          subject: z.string(),
          startedAt: isoDateTime,
          summary: z.string(),
        }),
      ),
    }),
  ),
});

export const fleetSummarySchema = z.object({
  hostCount: z.number().int(),
  hostsByState: z.record(z.string(), z.number().int()),
  findingsByKind: z.array(
    z.object({
      kind: findingKindSchema,
      open: z.number().int(),
      bySeverity: z.record(z.string(), z.number().int()),
    }),
  ),
  topHostsByKind: z.array(
    z.object({
      kind: findingKindSchema,
      hosts: z.array(
        z.object({
          hostId: z.string(),
          hostName: z.string(),
          severity: severitySchema,
          subject: z.string(),
          startedAt: isoDateTime,
        }),
      ),
    }),
  ),
});

export const fleetTunablesQuerySchema = z.object({ label: labelParam }).strict();
export type FleetTunablesQueryInput = z.infer<typeof fleetTunablesQuerySchema>;

export const fleetTunablesSchema = z.object({
  items: z.array(
    z.object({
      name: z.string().describe('vm.* sysctl without the prefix'),
      distribution: z.array(z.object({ value: z.number(), hosts: z.number().int() })),
      majority: z.number().nullable().describe('Most common value; null on a tie'),
      hostsReporting: z.number().int(),
      drift: z
        .array(z.object({ hostId: z.string(), hostName: z.string(), value: z.number() }))
        .describe('Hosts whose value differs from the majority'),
    }),
  ),
});
