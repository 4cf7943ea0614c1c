import { MARKER_PREFIX, NONCE_PATTERN, OUTPUT_MAGIC } from './wire-format';

export interface SplitSection {
  readonly name: string;
  readonly status: number;
  /** stderr of the section's command; '' when it printed nothing. */
  readonly reason: string;
  readonly content: string;
}

export type SplitResult =
  | { readonly ok: true; readonly sections: ReadonlyMap<string, SplitSection> }
  /** garbage: the output never looked like ours; otherwise it started right and then broke. */
  | { readonly ok: false; readonly garbage: boolean; readonly reason: string };

/** A login shell may print a banner before our header (a noisy .bashrc); look this far for it. */
const MAX_PREAMBLE = 64 * 1024;
const MAX_NAME = 256;

const fail = (garbage: boolean, reason: string): SplitResult => ({ ok: false, garbage, reason });

/**
 * Splits the command's output into sections (format: wire-format.ts). Pure and total: any input,
 * however hostile, yields either the sections or a reason; it never throws. The work is a few
 * native Buffer.indexOf calls per section, never a per-line scan.
 */
export function splitOutput(buf: Buffer): SplitResult {
  if (buf.length === 0) return fail(false, 'the command printed nothing');
  const start = findHeader(buf);
  if (start < 0) return fail(true, 'output does not start with the collector header');
  const headerEnd = buf.indexOf(0x0a, start);
  if (headerEnd < 0) return fail(false, 'output ends inside the header line');
  const nonce = buf.toString('latin1', start + OUTPUT_MAGIC.length, headerEnd);
  if (!NONCE_PATTERN.test(nonce)) return fail(true, 'header carries a malformed nonce');

  const marker = `${MARKER_PREFIX}${nonce} `;
  const begin = Buffer.from(`${marker}B `);
  const endNeedle = Buffer.from(`\n${marker}E `);
  const trailer = Buffer.from(`${marker}Z\n`);
  const sections = new Map<string, SplitSection>();
  let pos = headerEnd + 1;

  for (;;) {
    if (startsWithAt(buf, trailer, pos)) return { ok: true, sections };
    if (pos >= buf.length)
      return fail(false, `output was cut short after ${sections.size} sections`);
    if (!startsWithAt(buf, begin, pos)) {
      return fail(false, `unexpected bytes at offset ${pos} where a section should begin`);
    }
    const nameStart = pos + begin.length;
    const nameEnd = buf.indexOf(0x0a, nameStart);
    if (nameEnd < 0 || nameEnd - nameStart > MAX_NAME) {
      return fail(false, `section header at offset ${pos} is cut short or too long`);
    }
    const name = buf.toString('latin1', nameStart, nameEnd);
    if (!/^\S+$/.test(name)) return fail(false, `section header at offset ${pos} has no name`);
    if (sections.has(name)) return fail(false, `section ${name} appears twice`);

    const contentStart = nameEnd + 1;
    const contentEnd = buf.indexOf(endNeedle, contentStart);
    if (contentEnd < 0) return fail(false, `section ${name} never ended (output cut short)`);
    const lineStart = contentEnd + endNeedle.length;
    const lineEnd = buf.indexOf(0x0a, lineStart);
    if (lineEnd < 0) return fail(false, `end of section ${name} is cut short`);
    const end = parseEndLine(buf.toString('latin1', lineStart, lineEnd));
    if (!end) return fail(false, `end of section ${name} is malformed`);
    if (end.name !== name) return fail(false, `section ${name} ended as ${end.name}`);

    sections.set(name, {
      name,
      status: end.status,
      reason: end.reason,
      content: buf.toString('utf8', contentStart, contentEnd),
    });
    pos = lineEnd + 1;
  }
}

function findHeader(buf: Buffer): number {
  let at = buf.indexOf(OUTPUT_MAGIC, 0, 'latin1');
  // The header must begin a line: a banner line may precede it, but not share its line.
  while (at > 0 && buf[at - 1] !== 0x0a) at = buf.indexOf(OUTPUT_MAGIC, at + 1, 'latin1');
  return at >= 0 && at <= MAX_PREAMBLE ? at : -1;
}

function startsWithAt(buf: Buffer, needle: Buffer, pos: number): boolean {
  return (
    pos + needle.length <= buf.length &&
    buf.compare(needle, 0, needle.length, pos, pos + needle.length) === 0
  );
}

/** `<status> <name> <reason...>`; the reason may be empty (the line then ends in a space). */
function parseEndLine(line: string): { status: number; name: string; reason: string } | undefined {
  const m = /^(\d{1,3}) (\S+) ?(.*)$/.exec(line);
  if (!m) return undefined;
  return { status: Number(m[1]), name: m[2] ?? '', reason: (m[3] ?? '').trim() };
}
