/**
 * Ansible host ranges: `web[01:03].example.com`, `db-[a:c]`, `node[0:10:5]`. Leading zeros in
 * a numeric start fix the width, as in Ansible. Several ranges in one name multiply.
 */
export type ExpandedPattern =
  | { readonly kind: 'ok'; readonly names: readonly string[] }
  | { readonly kind: 'error'; readonly reason: string };

const RANGE = /\[([^\]]*)\]/;
const NUMERIC = /^(\d+):(\d+)(?::(\d+))?$/;
const ALPHA = /^([a-z]):([a-z])(?::(\d+))?$|^([A-Z]):([A-Z])(?::(\d+))?$/;

export function expandHostPattern(pattern: string, limit: number): ExpandedPattern {
  const match = RANGE.exec(pattern);
  if (!match) {
    if (pattern.includes('[') || pattern.includes(']')) {
      return { kind: 'error', reason: 'unbalanced "[" or "]" in host pattern' };
    }
    return { kind: 'ok', names: [pattern] };
  }
  const values = rangeValues(match[1] as string, limit);
  if (typeof values === 'string') return { kind: 'error', reason: values };
  const head = pattern.slice(0, match.index);
  const tailPattern = pattern.slice(match.index + match[0].length);
  const tail = expandHostPattern(tailPattern, limit);
  if (tail.kind === 'error') return tail;
  if (values.length * tail.names.length > limit) {
    return { kind: 'error', reason: `range expands to more than ${limit} hosts` };
  }
  return { kind: 'ok', names: values.flatMap((v) => tail.names.map((t) => head + v + t)) };
}

/** The values of one `[start:end(:step)]`, or why it is not a range. */
function rangeValues(spec: string, limit: number): string[] | string {
  const numeric = NUMERIC.exec(spec);
  if (numeric) {
    const [, startText, endText, stepText] = numeric as unknown as [
      string,
      string,
      string,
      string?,
    ];
    const start = Number(startText);
    const end = Number(endText);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (start > end) return `range [${spec}] ends before it starts`;
    if (step < 1) return `range [${spec}] needs a step of at least 1`;
    if (Math.floor((end - start) / step) + 1 > limit) {
      return `range [${spec}] expands to more than ${limit} hosts`;
    }
    // Ansible pads to the width of the start when it is written with leading zeros.
    const width = startText.startsWith('0') && startText.length > 1 ? startText.length : 0;
    const out: string[] = [];
    for (let i = start; i <= end; i += step) out.push(String(i).padStart(width, '0'));
    return out;
  }
  const alpha = ALPHA.exec(spec);
  if (alpha) {
    const from = (alpha[1] ?? alpha[4]) as string;
    const to = (alpha[2] ?? alpha[5]) as string;
    const stepText = alpha[3] ?? alpha[6];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (from > to) return `range [${spec}] ends before it starts`;
    if (step < 1) return `range [${spec}] needs a step of at least 1`;
    const out: string[] = [];
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c += step) {
      out.push(String.fromCharCode(c));
    }
    return out;
  }
  return `"[${spec}]" is not a range: use [start:end] or [start:end:step], numbers or single letters`;
}
