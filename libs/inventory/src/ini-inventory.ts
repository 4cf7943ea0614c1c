import {
  groupOf,
  newRawInventory,
  type InventorySyntaxError,
  type RawGroup,
  type RawInventory,
} from './types';

/**
 * Ansible's INI inventory, which is not plain INI: host lines carry `key=value` vars after the
 * name (`web1 ansible_host=10.0.0.5 ansible_port=2222`), `[group:children]` lists groups and
 * `[group:vars]` holds plain `key=value` lines. Values stay strings, as Ansible's own `:vars`
 * sections leave them; whoever maps them decides what is a number.
 */
export function parseIniInventory(
  text: string,
): { kind: 'ok'; inventory: RawInventory } | { kind: 'error'; errors: InventorySyntaxError[] } {
  const inventory = newRawInventory();
  const errors: InventorySyntaxError[] = [];
  let section: { group: RawGroup; kind: 'hosts' | 'vars' | 'children' } = {
    group: groupOf(inventory, 'ungrouped', 0),
    kind: 'hosts',
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (trimmed.startsWith('[')) {
      const header = parseHeader(trimmed);
      if (typeof header === 'string') errors.push({ line, message: header });
      else section = { group: groupOf(inventory, header.name, line), kind: header.kind };
      return;
    }
    const problem =
      section.kind === 'hosts'
        ? hostLine(section.group, trimmed, line)
        : section.kind === 'vars'
          ? varLine(section.group, trimmed)
          : childLine(inventory, section.group, trimmed, line);
    if (problem !== undefined) errors.push({ line, message: problem });
  });
  return errors.length > 0 ? { kind: 'error', errors } : { kind: 'ok', inventory };
}

const HEADER = /^\[([^\]:\s]+)(?::([^\]\s]*))?\]\s*(?:[#;].*)?$/;

function parseHeader(
  trimmed: string,
): { name: string; kind: 'hosts' | 'vars' | 'children' } | string {
  const match = HEADER.exec(trimmed);
  if (!match) return `"${clip(trimmed)}" is not a section header like [group] or [group:vars]`;
  const kind = match[2] ?? 'hosts';
  if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
    return `unknown section kind ":${kind}" (expected :vars or :children)`;
  }
  return { name: match[1] as string, kind };
}

/** `pattern [key=value ...]`; `host:port` is Ansible's shorthand for ansible_port. */
function hostLine(group: RawGroup, trimmed: string, line: number): string | undefined {
  const tokens = shellWords(trimmed);
  if (typeof tokens === 'string') return tokens;
  const [first, ...rest] = tokens;
  if (first === undefined) return undefined; // only a comment
  const vars: Record<string, unknown> = {};
  for (const token of rest) {
    const eq = token.indexOf('=');
    if (eq <= 0) return `"${clip(token)}" after the host name is not a key=value variable`;
    vars[token.slice(0, eq)] = token.slice(eq + 1);
  }
  let pattern = first;
  const hostPort = /^([^:]+):(\d+)$/.exec(first);
  if (hostPort) {
    pattern = hostPort[1] as string;
    vars.ansible_port ??= hostPort[2];
  }
  group.hosts.push({ pattern, vars, line });
  return undefined;
}

function varLine(group: RawGroup, trimmed: string): string | undefined {
  const eq = trimmed.indexOf('=');
  if (eq <= 0) return `"${clip(trimmed)}" in a :vars section is not key=value`;
  const key = trimmed.slice(0, eq).trim();
  if (/\s/.test(key)) return `variable name "${clip(key)}" contains spaces`;
  group.vars[key] = unquote(trimmed.slice(eq + 1).trim());
  return undefined;
}

function childLine(
  inventory: RawInventory,
  group: RawGroup,
  trimmed: string,
  line: number,
): string | undefined {
  const name = trimmed.replace(/\s+[#;].*$/, '');
  if (/\s/.test(name)) return `"${clip(name)}" in a :children section is not one group name`;
  groupOf(inventory, name, line);
  group.children.push({ name, line });
  return undefined;
}

/**
 * Splits like Python's shlex with comments on, as Ansible does for host lines: whitespace
 * separates, quotes group, a `#` starting a word begins a comment.
 */
function shellWords(text: string): string[] | string {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== null) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i] as string;
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === '#' && word === null) {
      break;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote !== null) return `unterminated ${quote} quote`;
  if (word !== null) words.push(word);
  return words;
}

function unquote(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
    return value.slice(1, -1);
  }
  return value;
}

/** Echo enough of a bad line to find it, never a whole (possibly secret-bearing) line. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
