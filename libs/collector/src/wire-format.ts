/**
 * The byte format the collection command prints, shared by the splitter and by anything that has
 * to speak it (the fleet simulator renders with encodeCollectOutput, so both cannot drift).
 *
 *   MEMFLEET-COLLECT 1 <nonce>\n
 *   @@MF-<nonce> B <name>\n
 *   <content: any bytes, as cat printed them>\n
 *   @@MF-<nonce> E <exit status> <name> <stderr, one printable line, maybe empty>\n
 *   ... one B/E pair per section ...
 *   @@MF-<nonce> Z\n
 *
 * The newline before each E line is added by the command, so content without a final newline is
 * preserved exactly. Z proves the output was not cut short.
 */
export const OUTPUT_MAGIC = 'MEMFLEET-COLLECT 1 ';
export const MARKER_PREFIX = '@@MF-';
/** What a nonce may look like: a kernel uuid, or the `pid.epoch` fallback. */
export const NONCE_PATTERN = /^[A-Za-z0-9.-]{1,64}$/;

export interface EncodedSection {
  readonly name: string;
  /** Exit status of the command that produced the section; 0 = read fine. */
  readonly status: number;
  readonly content: string | Buffer;
  /** What the command printed on stderr (one line). */
  readonly reason?: string;
}

export function encodeHeader(nonce: string): string {
  return `${OUTPUT_MAGIC}${nonce}\n`;
}

export function encodeSectionStart(nonce: string, name: string): string {
  return `${MARKER_PREFIX}${nonce} B ${name}\n`;
}

export function encodeSectionEnd(nonce: string, section: Omit<EncodedSection, 'content'>): string {
  const reason = (section.reason ?? '').replace(/[^\x20-\x7e]/g, ' ').slice(0, 300);
  return `\n${MARKER_PREFIX}${nonce} E ${section.status} ${section.name} ${reason}\n`;
}

export function encodeTrailer(nonce: string): string {
  return `${MARKER_PREFIX}${nonce} Z\n`;
}

/** The whole output of one successful run of the command, as one Buffer. */
export function encodeCollectOutput(nonce: string, sections: readonly EncodedSection[]): Buffer {
  const parts: Buffer[] = [Buffer.from(encodeHeader(nonce))];
  for (const s of sections) {
    parts.push(Buffer.from(encodeSectionStart(nonce, s.name)));
    parts.push(typeof s.content === 'string' ? Buffer.from(s.content) : s.content);
    parts.push(Buffer.from(encodeSectionEnd(nonce, s)));
  }
  parts.push(Buffer.from(encodeTrailer(nonce)));
  return Buffer.concat(parts);
}
