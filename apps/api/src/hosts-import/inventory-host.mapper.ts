import type { InventoryHost } from '@memfleet/inventory';
import { createHostSchema, type CreateHostInput } from '../hosts/host.schemas';
import type { ImportDefaults } from './hosts-import.schemas';

/**
 * Each group a host is in becomes the label `group_<name>` = "true", so
 * `GET /hosts?label=group_web=true` finds the members of `web` (including through children).
 */
export const groupLabel = (group: string): string => `group_${group}`;

/**
 * One inventory host as the body of POST /hosts, validated by the same schema. Ansible's
 * connection variables win over the defaults; password and key variables of the inventory are
 * ignored, since credentials come only from the request's defaults.
 */
export function toCreateHostInput(
  host: InventoryHost,
  defaults: ImportDefaults,
): { kind: 'ok'; input: CreateHostInput } | { kind: 'invalid'; reason: string } {
  const problems: string[] = [];
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const v = host.vars[key];
      if (v === undefined || v === null) continue;
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      problems.push(`${key}: must be text`);
      return undefined;
    }
    return undefined;
  };
  const portText = text('ansible_port', 'ansible_ssh_port');
  let port = defaults.port;
  if (portText !== undefined) {
    if (/^\d{1,5}$/.test(portText)) port = Number(portText);
    else problems.push('ansible_port: must be a whole number');
  }
  const labels: Record<string, string> = { ...defaults.labels };
  for (const group of host.groups) labels[groupLabel(group)] = 'true';
  const body = {
    name: host.name,
    collection: 'ssh',
    address: text('ansible_host', 'ansible_ssh_host') ?? host.name,
    port,
    username: text('ansible_user', 'ansible_ssh_user') ?? defaults.username,
    auth: defaults.auth,
    useSudo: defaults.useSudo,
    labels,
    intervalSeconds: defaults.intervalSeconds,
    hostKey: { policy: 'tofu' },
  };
  if (problems.length > 0) return { kind: 'invalid', reason: problems.join('; ') };
  const parsed = createHostSchema.safeParse(body);
  if (parsed.success) return { kind: 'ok', input: parsed.data };
  // Issue paths and messages only: zod does not quote the input, so no value leaks back.
  const reason = parsed.error.issues
    .map((i) => `${i.path.map(String).join('.') || '(host)'}: ${i.message}`)
    .join('; ');
  return { kind: 'invalid', reason };
}
