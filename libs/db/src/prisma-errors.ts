import { Prisma } from './generated/prisma/client';

/** The Prisma error code (P2002 unique violation, P2025 record not found), if any. */
export function prismaErrorCode(err: unknown): string | undefined {
  return err instanceof Prisma.PrismaClientKnownRequestError ? err.code : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuid columns: anything else cannot exist, and must not reach a ::uuid cast. */
export const isUuid = (id: string): boolean => UUID.test(id);
