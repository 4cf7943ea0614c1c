import { parseIniInventory } from './ini-inventory';
import { resolveInventory } from './resolve-inventory';
import type { InventoryFormat, InventoryParseResult } from './types';
import { parseYamlInventory } from './yaml-inventory';

/** Enough for a large fleet; past it a range typo (web[1:100000]) is the likelier story. */
export const DEFAULT_MAX_HOSTS = 5_000;

/**
 * Parses an Ansible inventory in either syntax. `auto` takes INI when any line opens a
 * `[section]`, YAML when the text is a YAML mapping, and INI otherwise (a bare host list).
 */
export function parseInventory(
  text: string,
  format: InventoryFormat | 'auto' = 'auto',
  maxHosts: number = DEFAULT_MAX_HOSTS,
): InventoryParseResult {
  const chosen = format === 'auto' ? detectInventoryFormat(text) : format;
  const parsed = chosen === 'ini' ? parseIniInventory(text) : parseYamlInventory(text);
  if (parsed.kind === 'error') return { kind: 'error', format: chosen, errors: parsed.errors };
  const resolved = resolveInventory(parsed.inventory, maxHosts);
  if (resolved.kind === 'error') return { kind: 'error', format: chosen, errors: resolved.errors };
  return { kind: 'ok', format: chosen, hosts: resolved.hosts, invalid: resolved.invalid };
}

export function detectInventoryFormat(text: string): InventoryFormat {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const meaningful = lines.filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
  if (meaningful.some((l) => l.startsWith('['))) return 'ini';
  if (meaningful[0] === '---') return 'yaml';
  // `name:` or `name: value` opening the text is a YAML mapping; `host:2222` (no space) is INI.
  return /^[^\s:#]+:(\s|$)/.test(meaningful[0] ?? '') ? 'yaml' : 'ini';
}
