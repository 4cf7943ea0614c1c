import { HostNotFoundError } from '@memfleet/db';
import { hostIdSchema } from './host.schemas';

/** Host ids are uuids; anything else cannot name a host: 404, not a database error. */
export function checkedHostId(id: string): string {
  if (!hostIdSchema.safeParse(id).success) throw new HostNotFoundError(id);
  return id;
}
