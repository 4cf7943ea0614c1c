/**
 * An Ansible inventory reduced to what a fleet registry needs: each host once, with the
 * variables Ansible would resolve for it and every group it belongs to (directly or through
 * `children`). Parsing never throws: structural problems come back with their 1-based line.
 */
export interface InventoryHost {
  /** The inventory hostname (after range expansion). */
  readonly name: string;
  /** Group vars merged in Ansible's order (all < parent < child), then host vars. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Every group holding the host, ancestors included; never `all` or `ungrouped`. Sorted. */
  readonly groups: readonly string[];
  /** Line of the host's first appearance. */
  readonly line: number;
}

/** One entry that could not become a host; the rest of the inventory still counts. */
export interface InventoryEntryError {
  readonly name: string;
  readonly line: number;
  readonly reason: string;
}

/** A line that makes the whole inventory unreadable. */
export interface InventorySyntaxError {
  readonly line: number;
  readonly message: string;
}

export type InventoryFormat = 'ini' | 'yaml';

export type InventoryParseResult =
  | {
      readonly kind: 'ok';
      readonly format: InventoryFormat;
      readonly hosts: readonly InventoryHost[];
      readonly invalid: readonly InventoryEntryError[];
    }
  | {
      readonly kind: 'error';
      readonly format: InventoryFormat;
      readonly errors: readonly InventorySyntaxError[];
    };

/** A host entry as written: a name or range pattern with its own vars. */
export interface RawHostEntry {
  readonly pattern: string;
  readonly vars: Record<string, unknown>;
  readonly line: number;
}

export interface RawGroup {
  readonly name: string;
  readonly line: number;
  readonly hosts: RawHostEntry[];
  readonly children: { readonly name: string; readonly line: number }[];
  readonly vars: Record<string, unknown>;
}

/** What both syntaxes parse to before groups are resolved. Always holds `all` and `ungrouped`. */
export interface RawInventory {
  readonly groups: Map<string, RawGroup>;
  /** Entries already known to be unusable, e.g. a YAML host whose vars are not a mapping. */
  readonly invalid: InventoryEntryError[];
}

export function emptyGroup(name: string, line: number): RawGroup {
  return { name, line, hosts: [], children: [], vars: {} };
}

export function newRawInventory(): RawInventory {
  const groups = new Map([
    ['all', emptyGroup('all', 0)],
    ['ungrouped', emptyGroup('ungrouped', 0)],
  ]);
  return { groups, invalid: [] };
}

/** Finds or creates a group: Ansible creates groups on first mention, in any section. */
export function groupOf(inventory: RawInventory, name: string, line: number): RawGroup {
  let group = inventory.groups.get(name);
  if (!group) {
    group = emptyGroup(name, line);
    inventory.groups.set(name, group);
  }
  return group;
}
