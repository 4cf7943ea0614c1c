import { parseArgs } from 'node:util';
import { UsageError } from './errors';

/** Where the snapshot comes from: this machine, a copied /proc tree, or a bundle file. */
export type InputSource =
  | { readonly kind: 'live' }
  | { readonly kind: 'root'; readonly dir: string }
  | { readonly kind: 'bundle'; readonly path: string };

export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'version' }
  | {
      readonly name: 'inspect';
      readonly source: InputSource;
      readonly json: boolean;
      readonly top: number;
      readonly color: boolean | undefined;
      readonly saveBundle: string | undefined;
    }
  | { readonly name: 'capture'; readonly source: InputSource; readonly output: string };

export const USAGE = `Usage:
  memfleet inspect [--root DIR | --bundle FILE] [--json] [--top N] [--no-color] [--save-bundle FILE]
  memfleet capture [--root DIR] [--output FILE]
  memfleet --help | --version

Diagnoses the kernel memory of one machine: free -w accounting with the free-vs-ps gap,
the largest slab caches, per-zone fragmentation, and findings with advice.

Input (default: this machine, live /proc):
  --root DIR         read DIR/proc/... (meminfo, slabinfo, buddyinfo, zoneinfo, pagetypeinfo,
                     vmstat, sys/vm/*, sys/kernel/osrelease) and DIR/ps if present
                     (output of \`ps -eo pid=,rss=,comm=\`)
  --bundle FILE      read a snapshot bundle JSON; FILE '-' reads stdin

Output:
  --json             machine-readable report, all sizes in bytes
  --top N            number of slab caches to list, in both outputs (default 10)
  --no-color         no ANSI colours (colours are used only when stdout is a terminal)
  --save-bundle FILE also write the snapshot bundle that was inspected to FILE

capture writes the snapshot bundle JSON of the input to --output FILE (default '-': stdout),
for \`inspect --bundle\` later or for push ingest.

Exit status: 0 ok, 1 output file not writable, 2 bad usage, 3 invalid input (the message
names the file and line; the report of the valid files is still printed).
`;

const inspectOptions = {
  root: { type: 'string' },
  bundle: { type: 'string' },
  json: { type: 'boolean' },
  top: { type: 'string' },
  'no-color': { type: 'boolean' },
  'save-bundle': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const captureOptions = {
  root: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses argv (without node and script). Throws UsageError for anything it does not accept. */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return { name: 'help' };
  }
  if (first === '--version' || first === '-V') return { name: 'version' };
  if (first === 'inspect') return parseInspect(rest);
  if (first === 'capture') return parseCapture(rest);
  throw new UsageError(`unknown command '${first}'`);
}

function parseInspect(argv: string[]): Command {
  const { values } = usageErrors(() =>
    parseArgs({ args: argv, options: inspectOptions, strict: true, allowPositionals: false }),
  );
  if (values.help) return { name: 'help' };
  if (values.root !== undefined && values.bundle !== undefined) {
    throw new UsageError('--root and --bundle are exclusive: give one input');
  }
  return {
    name: 'inspect',
    source: sourceOf(values.root, values.bundle),
    json: values.json ?? false,
    top: parseTop(values.top),
    color: values['no-color'] ? false : undefined,
    saveBundle: saveBundlePath(values['save-bundle']),
  };
}

function parseCapture(argv: string[]): Command {
  const { values } = usageErrors(() =>
    parseArgs({ args: argv, options: captureOptions, strict: true, allowPositionals: false }),
  );
  if (values.help) return { name: 'help' };
  return {
    name: 'capture',
    source: sourceOf(values.root, undefined),
    output: nonEmpty('--output', values.output) ?? '-',
  };
}

function usageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    // parseArgs reports unknown flags, missing values and stray arguments with a clear message.
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function sourceOf(root: string | undefined, bundle: string | undefined): InputSource {
  if (root !== undefined) return { kind: 'root', dir: nonEmpty('--root', root) ?? '' };
  if (bundle !== undefined) return { kind: 'bundle', path: nonEmpty('--bundle', bundle) ?? '' };
  return { kind: 'live' };
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === '') throw new UsageError(`${flag} needs a non-empty value`);
  return value;
}

function saveBundlePath(value: string | undefined): string | undefined {
  // stdout carries the report; a bundle there would make both unreadable.
  if (value === '-')
    throw new UsageError("--save-bundle needs a file; use 'memfleet capture' for stdout");
  return nonEmpty('--save-bundle', value);
}

function parseTop(value: string | undefined): number {
  if (value === undefined) return 10;
  if (!/^\d{1,6}$/.test(value))
    throw new UsageError(`--top expects a whole number, got '${value}'`);
  return Number(value);
}
