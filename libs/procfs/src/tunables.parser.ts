import { failed, ok, type Parsed } from './parse-result';
import { TUNABLES_DIR } from './bundle';
import { TUNABLE_NAMES, type TunableName, type Tunables } from './types';

const KNOWN: ReadonlySet<string> = new Set(TUNABLE_NAMES);

/**
 * The vm.* tunables memfleet reasons about, one file each. Keys are `/proc/sys/vm/<name>` (or the
 * bare name); other files are ignored, so a bundle's whole `files` record can be passed. A tunable
 * the kernel lacks is absent. proc_dointvec prints a signed int, so a sign is accepted.
 */
export function parseTunables(files: Readonly<Record<string, string>>): Parsed<Tunables> {
  const out: Tunables = {};
  for (const key of Object.keys(files)) {
    const name = key.startsWith(TUNABLES_DIR) ? key.slice(TUNABLES_DIR.length) : key;
    if (!KNOWN.has(name)) continue;
    const file = key.startsWith(TUNABLES_DIR) ? key : TUNABLES_DIR + key;
    const v = parseIntFile(files[key] ?? '');
    if (v === undefined)
      return failed(
        file,
        1,
        `${name} is not an integer: ${JSON.stringify((files[key] ?? '').slice(0, 40))}`,
      );
    out[name as TunableName] = v;
  }
  return ok(out);
}

/** A sysctl file is one short line: parsed with charCodeAt, no Scanner (nine files per snapshot). */
function parseIntFile(text: string): number | undefined {
  let i = 0;
  let end = text.length;
  while (end > 0 && isBlank(text.charCodeAt(end - 1))) end--;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const negative = text.charCodeAt(i) === 45; /* - */
  if (negative) i++;
  const start = i;
  let v = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  if (i === start || v > Number.MAX_SAFE_INTEGER) return undefined;
  return negative ? -v : v;
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0;
