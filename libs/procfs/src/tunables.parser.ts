import { failed, ok, type Parsed } from './parse-result';
import { TUNABLES_DIR } from './bundle';
import { Scanner } from './scan';
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

function parseIntFile(text: string): number | undefined {
  const s = new Scanner(text);
  if (!s.nextLine()) return undefined;
  s.skipSpaces();
  const negative = s.accept('-');
  const v = s.uint();
  if (v < 0 || !s.isLineBlank() || s.nextLine()) return undefined;
  return negative ? -v : v;
}
