import { Prisma, type PrismaClient } from '../generated/prisma/client';
import {
  HostNameTakenError,
  HostNotFoundError,
  InvalidCursorError,
  NoPresentedHostKeyError,
} from '../errors';
import { isUuid, prismaErrorCode } from '../prisma-errors';
import { toCreateInput, toHostRecord, toUpdateInput } from './host.mapper';
import type {
  CollectionOutcome,
  CreateHostData,
  HostListQuery,
  HostPage,
  HostRecord,
  HostRepository,
  UpdateHostData,
} from './host.types';

/** States in which the last attempt did collect a snapshot. */
const COLLECTED = new Set(['ok', 'degraded']);

export class PrismaHostRepository implements HostRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(data: CreateHostData): Promise<HostRecord> {
    try {
      return toHostRecord(await this.prisma.host.create({ data: toCreateInput(data) }));
    } catch (err) {
      throw prismaErrorCode(err) === 'P2002' ? new HostNameTakenError(data.name) : err;
    }
  }

  async findById(id: string): Promise<HostRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.host.findUnique({ where: { id } });
    return row && toHostRecord(row);
  }

  /**
   * Ordered by name; the cursor is the last name of the previous page. Label filtering is
   * `labels @> $1` (GIN jsonb_path_ops index), which Prisma's JSON filters cannot express.
   */
  async list(query: HostListQuery): Promise<HostPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const filters: Prisma.Sql[] = [];
    if (query.labels && Object.keys(query.labels).length > 0) {
      filters.push(Prisma.sql`labels @> ${JSON.stringify(query.labels)}::jsonb`);
    }
    if (query.state) filters.push(Prisma.sql`state = ${query.state}::host_state`);
    const where = (extra: Prisma.Sql[]): Prisma.Sql => {
      const all = [...filters, ...extra];
      return all.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(all, ' AND ')}`;
    };
    const limit = Math.max(1, Math.floor(query.limit));
    const [page, counted] = await Promise.all([
      this.prisma.$queryRaw<{ id: string }[]>`
        SELECT id::text AS id FROM host
        ${where(after === undefined ? [] : [Prisma.sql`name > ${after}`])}
        ORDER BY name LIMIT ${limit + 1}`,
      this.prisma.$queryRaw<
        { total: number }[]
      >`SELECT count(*)::int AS total FROM host ${where([])}`,
    ]);
    const ids = page.slice(0, limit).map((r) => r.id);
    const rows = await this.prisma.host.findMany({
      where: { id: { in: ids } },
      orderBy: { name: 'asc' },
    });
    const items = rows.map(toHostRecord);
    const last = items[items.length - 1];
    return {
      items,
      total: counted[0]?.total ?? 0,
      nextCursor: page.length > limit && last ? encodeCursor(last.name) : null,
    };
  }

  async update(id: string, data: UpdateHostData): Promise<HostRecord> {
    if (!isUuid(id)) throw new HostNotFoundError(id);
    try {
      return toHostRecord(
        await this.prisma.host.update({ where: { id }, data: toUpdateInput(data) }),
      );
    } catch (err) {
      const code = prismaErrorCode(err);
      if (code === 'P2025') throw new HostNotFoundError(id);
      if (code === 'P2002') throw new HostNameTakenError(data.name ?? '');
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    if (!isUuid(id)) throw new HostNotFoundError(id);
    const { count } = await this.prisma.host.deleteMany({ where: { id } });
    if (count === 0) throw new HostNotFoundError(id);
  }

  async listSchedulable(): Promise<readonly HostRecord[]> {
    const rows = await this.prisma.host.findMany({
      where: { enabled: true, collection: 'ssh' },
      orderBy: { name: 'asc' },
    });
    return rows.map(toHostRecord);
  }

  /**
   * One attempt's effect: success (ok/degraded) resets the failure count and stamps
   * lastSuccessAt; a failure increments the count. TOFU records the first key seen; a
   * mismatch records the presented key for trustPresentedHostKey.
   */
  async recordCollection(id: string, outcome: CollectionOutcome): Promise<HostRecord> {
    if (!isUuid(id)) throw new HostNotFoundError(id);
    const collected = COLLECTED.has(outcome.state);
    const seen = outcome.seenHostKeyFingerprint;
    const data: Prisma.HostUpdateInput = {
      state: outcome.state,
      lastAttemptAt: outcome.at,
      lastError: outcome.error,
      consecutiveFailures: collected ? 0 : { increment: 1 },
      ...(collected ? { lastSuccessAt: outcome.at } : {}),
      ...(seen !== undefined && outcome.state === 'host_key_mismatch'
        ? { presentedHostKeyFingerprint: seen }
        : {}),
    };
    const recordFirstKey = seen !== undefined && outcome.state !== 'host_key_mismatch';
    try {
      const update = this.prisma.host.update({ where: { id }, data });
      const row = recordFirstKey
        ? (
            await this.prisma.$transaction([
              // TOFU: the first key seen is recorded only if none is stored, never overwritten.
              this.prisma.host.updateMany({
                where: { id, hostKeyFingerprint: null, hostKeyPolicy: 'tofu' },
                data: { hostKeyFingerprint: seen },
              }),
              update,
            ])
          )[1]
        : await update;
      return toHostRecord(row);
    } catch (err) {
      throw prismaErrorCode(err) === 'P2025' ? new HostNotFoundError(id) : err;
    }
  }

  /**
   * The presented key becomes the host key. The state goes back to what it was before the key
   * changed as far as we know it (`ok` if the host was ever collected); the next collection
   * sets the real one.
   */
  async trustPresentedHostKey(id: string): Promise<HostRecord> {
    const host = await this.findById(id);
    if (!host) throw new HostNotFoundError(id);
    const presented = host.presentedHostKeyFingerprint;
    if (presented === null) throw new NoPresentedHostKeyError(id);
    const { count } = await this.prisma.host.updateMany({
      // Conditional on the key we read: a concurrent mismatch with another key is not trusted blindly.
      where: { id, presentedHostKeyFingerprint: presented },
      data: {
        hostKeyFingerprint: presented,
        presentedHostKeyFingerprint: null,
        state: host.lastSuccessAt === null ? 'never_collected' : 'ok',
        lastError: null,
        consecutiveFailures: 0,
      },
    });
    if (count === 0) return this.trustPresentedHostKey(id);
    return (await this.findById(id)) as HostRecord;
  }
}

const encodeCursor = (name: string): string => Buffer.from(name, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  if (name.length === 0 || encodeCursor(name) !== cursor) throw new InvalidCursorError(cursor);
  return name;
}
