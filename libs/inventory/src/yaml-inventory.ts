import {
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
import {
  groupOf,
  newRawInventory,
  type InventorySyntaxError,
  type RawGroup,
  type RawInventory,
} from './types';

/**
 * Ansible's YAML inventory: top-level groups (usually just `all`), each a mapping of `hosts`
 * (name -> vars or null), `vars` and `children` (name -> group). A host whose vars are not a
 * mapping is one invalid entry; a group that is not shaped like a group is a syntax error,
 * since guessing would silently drop hosts.
 */
export function parseYamlInventory(
  text: string,
): { kind: 'ok'; inventory: RawInventory } | { kind: 'error'; errors: InventorySyntaxError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    // Ansible reads YAML with PyYAML, which honours `<<: *anchor` merge keys.
    merge: true,
  });
  const errors: InventorySyntaxError[] = doc.errors.map((e) => ({
    line: lineCounter.linePos(e.pos[0]).line,
    message: e.message.split('\n')[0] as string,
  }));
  if (errors.length > 0) return { kind: 'error', errors };
  const inventory = newRawInventory();
  const lineOf = (node: unknown): number => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    return { kind: 'ok', inventory };
  }
  if (!isMap(root)) {
    errors.push({ line: lineOf(root), message: 'a YAML inventory is a mapping of groups (all:)' });
    return { kind: 'error', errors };
  }
  const walker = new GroupWalker(doc, inventory, errors, lineOf);
  for (const pair of root.items) walker.group(pair.key, pair.value, null);
  return errors.length > 0 ? { kind: 'error', errors } : { kind: 'ok', inventory };
}

class GroupWalker {
  constructor(
    private readonly doc: Document,
    private readonly inventory: RawInventory,
    private readonly errors: InventorySyntaxError[],
    private readonly lineOf: (node: unknown) => number,
  ) {}

  group(keyNode: unknown, value: unknown, parent: RawGroup | null): void {
    const line = this.lineOf(keyNode);
    const name = this.keyName(keyNode);
    if (name === undefined) return this.fail(line, 'a group name must be a plain string');
    const group = groupOf(this.inventory, name, line);
    parent?.children.push({ name, line });
    if (isEmpty(value)) return;
    if (!isMap(value)) return this.fail(line, `group "${name}" must be a mapping`);
    for (const pair of (value as YAMLMap).items) {
      const key = this.keyName(pair.key);
      const keyLine = this.lineOf(pair.key);
      if (key === 'hosts') this.hosts(group, pair.value, keyLine);
      else if (key === 'vars') this.vars(group, pair.value, keyLine);
      else if (key === 'children') this.children(group, pair.value, keyLine);
      else {
        this.fail(
          keyLine,
          `group "${name}" has key "${key ?? '?'}"; only hosts, vars and children are allowed`,
        );
      }
    }
  }

  private hosts(group: RawGroup, value: unknown, line: number): void {
    if (isEmpty(value)) return;
    if (!isMap(value)) return this.fail(line, `"hosts" of group "${group.name}" must be a mapping`);
    for (const pair of (value as YAMLMap).items) {
      const hostLine = this.lineOf(pair.key);
      const pattern = this.keyName(pair.key);
      if (pattern === undefined) {
        this.fail(hostLine, 'a host name must be a plain string');
        continue;
      }
      if (isEmpty(pair.value)) {
        group.hosts.push({ pattern, vars: {}, line: hostLine });
      } else if (isMap(pair.value)) {
        const vars = toPlain(this.doc, pair.value);
        if (typeof vars === 'string') {
          this.inventory.invalid.push({ name: pattern, line: hostLine, reason: vars });
        } else {
          group.hosts.push({ pattern, vars, line: hostLine });
        }
      } else {
        const reason = 'host variables must be a mapping of name: value';
        this.inventory.invalid.push({ name: pattern, line: hostLine, reason });
      }
    }
  }

  private vars(group: RawGroup, value: unknown, line: number): void {
    if (isEmpty(value)) return;
    if (!isMap(value)) return this.fail(line, `"vars" of group "${group.name}" must be a mapping`);
    const vars = toPlain(this.doc, value);
    if (typeof vars === 'string') return this.fail(line, vars);
    Object.assign(group.vars, vars);
  }

  private children(group: RawGroup, value: unknown, line: number): void {
    if (isEmpty(value)) return;
    if (!isMap(value)) {
      return this.fail(line, `"children" of group "${group.name}" must be a mapping`);
    }
    for (const pair of (value as YAMLMap).items) this.group(pair.key, pair.value, group);
  }

  /** Host names like `10.0.0.5` or `web01` may parse as numbers; Ansible takes them as text. */
  private keyName(node: unknown): string | undefined {
    if (!isScalar(node)) return undefined;
    const v = node.value;
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return node.source ?? String(v);
    return undefined;
  }

  private fail(line: number, message: string): void {
    this.errors.push({ line, message });
  }
}

const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || (isScalar(value) && value.value === null);

/** yaml throws on alias bombs (more than 100 alias expansions): that is the entry's problem. */
function toPlain(doc: Document, map: unknown): Record<string, unknown> | string {
  try {
    return { ...((map as YAMLMap).toJS(doc, { maxAliasCount: 100 }) as Record<string, unknown>) };
  } catch (err) {
    return `variables could not be read: ${(err as Error).message.split('\n')[0] ?? ''}`;
  }
}
