import { z } from 'zod';

/**
 * JSON shapes of the parsed /proc sections, as libs/db's snapshotToJson writes them from the
 * libs/procfs types. The detail response is typed by these, so a change in those types that
 * breaks the documented shape fails to compile here.
 */

const n = z.number();
const counters = z.record(z.string(), n);
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const meminfo = z.object({
  fields: counters.describe('Field name as the kernel prints it -> bytes (kB converted)'),
  countFields: list(z.string()).describe('Fields that are counts, not bytes (HugePages_*)'),
});

const slabinfo = z.object({
  version: z.enum(['2.0', '2.1', '2.1 (statistics)']),
  caches: list(
    z.object({
      name: z.string(),
      activeObjs: n,
      numObjs: n,
      objSize: n.describe('bytes'),
      objPerSlab: n,
      pagesPerSlab: n,
      limit: n.optional(),
      batchCount: n.optional(),
      sharedFactor: n.optional(),
      activeSlabs: n.optional(),
      numSlabs: n.optional(),
      sharedAvail: n.optional(),
    }),
  ),
  anomalies: list(z.object({ line: n, name: z.string(), reason: z.string() })).optional(),
});

const buddyinfo = z.object({
  zones: list(
    z.object({
      node: n,
      zone: z.string(),
      freeBlocks: list(n).describe('freeBlocks[k]: free blocks of 2^k pages'),
    }),
  ),
});

const zoneinfo = z.object({
  zones: list(
    z.object({
      node: n,
      zone: z.string(),
      freePages: n.optional(),
      min: n.optional(),
      low: n.optional(),
      high: n.optional(),
      spanned: n.optional(),
      present: n.optional(),
      managed: n.optional(),
      protection: list(n).optional(),
      counters,
    }),
  ).describe('Values in pages'),
  nodeStats: list(z.object({ node: n, counters })).optional(),
});

const pagetypeinfo = z.object({
  pageBlockOrder: n,
  pagesPerBlock: n,
  free: list(
    z.object({
      node: n,
      zone: z.string(),
      type: z.string(),
      counts: list(z.object({ value: n, overflow: z.boolean() })),
    }),
  ),
  blocks: list(z.object({ node: n, zone: z.string(), blocks: counters })),
});

const vmstat = z
  .record(z.string(), z.string())
  .describe('Counters as decimal strings: they exceed 2^53 on long-lived hosts');

const tunables = counters.describe('vm.* tunables present on this kernel');

const processes = z.object({
  count: n,
  rssSumBytes: n,
  top: list(z.object({ pid: n, rssBytes: n, comm: z.string() })).describe('Largest by RSS'),
});

/** Each section holds its data, or says why it has none: never a silent gap. */
const section = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('ok'), value }),
    z.object({ status: z.literal('unavailable'), reason: z.string() }),
    z.object({
      status: z.literal('error'),
      error: z.object({
        file: z.string(),
        line: n.int().describe('1-based line of the file'),
        reason: z.string(),
      }),
    }),
  ]);

export const sectionsSchema = {
  meminfo: section(meminfo),
  slabinfo: section(slabinfo),
  buddyinfo: section(buddyinfo),
  zoneinfo: section(zoneinfo),
  pagetypeinfo: section(pagetypeinfo),
  vmstat: section(vmstat),
  tunables: section(tunables),
  processes: section(processes),
};
