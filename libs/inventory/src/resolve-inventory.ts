import { expandHostPattern } from './host-pattern';
import type {
  InventoryEntryError,
  InventoryHost,
  InventorySyntaxError,
  RawGroup,
  RawInventory,
} from './types';

const HIDDEN_GROUPS = new Set(['all', 'ungrouped']);

/**
 * Expands ranges, gives each host its groups (ancestors through `children` included) and merges
 * vars in Ansible's precedence: `all`, then groups by depth (a child overrides its parent),
 * ties by name, then the host's own vars (a later line wins).
 */
export function resolveInventory(
  raw: RawInventory,
  maxHosts: number,
):
  | { kind: 'ok'; hosts: InventoryHost[]; invalid: InventoryEntryError[] }
  | { kind: 'error'; errors: InventorySyntaxError[] } {
  const parents = parentsOf(raw);
  const cycle = findCycle(raw);
  if (cycle) return { kind: 'error', errors: [cycle] };
  const depth = depthOf(parents);

  const invalid: InventoryEntryError[] = [...raw.invalid];
  const found = new Map<
    string,
    { line: number; vars: Record<string, unknown>; groups: Set<string> }
  >();
  for (const group of raw.groups.values()) {
    for (const entry of group.hosts) {
      const expanded = expandHostPattern(entry.pattern, maxHosts);
      if (expanded.kind === 'error') {
        invalid.push({ name: entry.pattern, line: entry.line, reason: expanded.reason });
        continue;
      }
      for (const name of expanded.names) {
        let host = found.get(name);
        if (!host) {
          if (found.size >= maxHosts) {
            const message = `the inventory holds more than ${maxHosts} hosts`;
            return { kind: 'error', errors: [{ line: entry.line, message }] };
          }
          host = { line: entry.line, vars: {}, groups: new Set() };
          found.set(name, host);
        }
        host.line = Math.min(host.line, entry.line);
        Object.assign(host.vars, entry.vars);
        host.groups.add(group.name);
      }
    }
  }

  const hosts = [...found].map(([name, host]): InventoryHost => {
    const all = new Set<string>(['all']);
    for (const g of host.groups) for (const a of ancestors(g, parents)) all.add(a);
    const ordered = [...all].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
    const vars: Record<string, unknown> = {};
    for (const g of ordered) Object.assign(vars, raw.groups.get(g)?.vars);
    Object.assign(vars, host.vars);
    const groups = ordered.filter((g) => !HIDDEN_GROUPS.has(g)).sort();
    return { name, vars, groups, line: host.line };
  });
  hosts.sort((a, b) => a.line - b.line);
  invalid.sort((a, b) => a.line - b.line);
  return { kind: 'ok', hosts, invalid };
}

function parentsOf(raw: RawInventory): Map<string, Set<string>> {
  const parents = new Map<string, Set<string>>();
  for (const group of raw.groups.values()) {
    for (const child of group.children) {
      const set = parents.get(child.name) ?? new Set<string>();
      set.add(group.name);
      parents.set(child.name, set);
    }
  }
  return parents;
}

/** The group and everything above it; `all` sits above every group implicitly. */
function ancestors(group: string, parents: Map<string, Set<string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [group];
  while (stack.length > 0) {
    const g = stack.pop() as string;
    if (seen.has(g)) continue;
    seen.add(g);
    for (const p of parents.get(g) ?? []) stack.push(p);
  }
  return seen;
}

/** `all` is 0, a group without parents 1, otherwise one more than its deepest parent. */
function depthOf(parents: Map<string, Set<string>>): (group: string) => number {
  const memo = new Map<string, number>();
  const depth = (group: string): number => {
    if (group === 'all') return 0;
    const known = memo.get(group);
    if (known !== undefined) return known;
    const ps = [...(parents.get(group) ?? [])].filter((p) => p !== 'all');
    const d = ps.length === 0 ? 1 : 1 + Math.max(...ps.map(depth));
    memo.set(group, d);
    return d;
  };
  return depth;
}

/** Ansible refuses a group that contains itself; so do we, naming the line that closes the loop. */
function findCycle(raw: RawInventory): InventorySyntaxError | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (group: RawGroup): InventorySyntaxError | undefined => {
    state.set(group.name, 'open');
    for (const child of group.children) {
      const s = state.get(child.name);
      if (s === 'open') {
        return {
          line: child.line,
          message: `group "${child.name}" contains itself through children`,
        };
      }
      const next = raw.groups.get(child.name);
      if (s === undefined && next) {
        const found = visit(next);
        if (found) return found;
      }
    }
    state.set(group.name, 'done');
    return undefined;
  };
  for (const group of raw.groups.values()) {
    if (state.get(group.name) === undefined) {
      const found = visit(group);
      if (found) return found;
    }
  }
  return undefined;
}
