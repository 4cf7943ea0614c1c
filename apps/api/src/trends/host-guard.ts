import { HostNotFoundError, type HostRepository } from '@memfleet/db';
import { checkedHostId } from '../hosts/host-id';

/** Every trend endpoint answers 404 for an unknown host, not an empty series. */
export async function requireHost(hosts: HostRepository, id: string): Promise<string> {
  if (!(await hosts.findById(checkedHostId(id)))) throw new HostNotFoundError(id);
  return id;
}
