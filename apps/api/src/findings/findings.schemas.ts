import { z } from 'zod';

/** HTTP shapes of findings. Times ISO-8601; every evidence number carries its unit. */

const isoDateTime = z.iso.datetime({ offset: true });

export const FINDING_KINDS = [
  'slab_regrowth',
  'sunreclaim_leak',
  'fragmentation',
  'memory_gap',
  'low_memory',
  'tunable_risk',
  'collection_failing',
] as const;
export const SEVERITIES = ['info', 'warning', 'critical'] as const;

export const findingKindSchema = z.enum(FINDING_KINDS);
export const severitySchema = z.enum(SEVERITIES);

export const evidenceSchema = z.object({
  name: z.string(),
  value: z.number(),
  unit: z.enum([
    'bytes',
    'pages',
    'percent',
    'ratio',
    'count',
    'seconds',
    'bytes/hour',
    'per-hour',
    'kB',
    'index',
  ]),
});

export const findingSchema = z.object({
  id: z.string(),
  kind: findingKindSchema,
  severity: severitySchema,
  subject: z.string().describe('What it is about: a zone (node0/Normal), a cache, a tunable'),
  startedAt: isoDateTime.describe('Collection time of the first snapshot that showed it'),
  endedAt: isoDateTime
    .nullable()
    .describe('First snapshot that no longer showed it (null while open)'),
  lastSeenAt: isoDateTime,
  summary: z.string(),
  advice: z.string(),
  evidence: z.array(evidenceSchema),
});
export type FindingResponse = z.infer<typeof findingSchema>;

export const findingListSchema = z.object({ items: z.array(findingSchema) });
export type FindingListResponse = z.infer<typeof findingListSchema>;

/** `kind=a&kind=b` or `kind=a,b`. */
export const kindsParam = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [v].flat().flatMap((s) => s.split(',')))
  .pipe(z.array(findingKindSchema))
  .optional()
  .describe(`Only these kinds; repeat or comma-separate (${FINDING_KINDS.join(', ')})`);

export const hostFindingsQuerySchema = z
  .object({
    from: isoDateTime.optional().describe('Default: 24 h before `to`'),
    to: isoDateTime.optional().describe('Default: now'),
    kind: kindsParam,
  })
  .strict();
export type HostFindingsQueryInput = z.infer<typeof hostFindingsQuerySchema>;
