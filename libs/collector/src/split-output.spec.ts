import fc from 'fast-check';
import { splitOutput, type SplitResult } from './split-output';
import {
  encodeCollectOutput,
  encodeHeader,
  encodeSectionStart,
  encodeTrailer,
} from './wire-format';

const NONCE = '3f0c1a52-9a7e-4c1b-8d7e-2b6f1f0e9a11';
const M = `@@MF-${NONCE}`;

function sections(r: SplitResult) {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r.sections;
}

function failure(r: SplitResult) {
  if (r.ok) throw new Error('expected a failure');
  return r;
}

describe('splitOutput', () => {
  it('returns each section with its content, status and stderr', () => {
    const out = encodeCollectOutput(NONCE, [
      { name: '/proc/meminfo', status: 0, content: 'MemTotal:       16384 kB\n' },
      {
        name: '/proc/slabinfo',
        status: 1,
        content: '',
        reason: 'cat: /proc/slabinfo: Permission denied',
      },
    ]);
    const s = sections(splitOutput(out));
    expect(s.get('/proc/meminfo')).toEqual({
      name: '/proc/meminfo',
      status: 0,
      reason: '',
      content: 'MemTotal:       16384 kB\n',
    });
    expect(s.get('/proc/slabinfo')).toMatchObject({
      status: 1,
      reason: 'cat: /proc/slabinfo: Permission denied',
      content: '',
    });
  });

  it('keeps content without a final newline exactly', () => {
    const out = encodeCollectOutput(NONCE, [{ name: 'kernel', status: 0, content: '6.1.0' }]);
    expect(sections(splitOutput(out)).get('kernel')?.content).toBe('6.1.0');
  });

  it('keeps NUL bytes and lines that imitate another nonce marker', () => {
    const hostile = `a\0b\n@@MF-other E 0 kernel \n@@MF- B x\n${M.slice(0, -1)} E 0 kernel\n`;
    const out = encodeCollectOutput(NONCE, [{ name: 'kernel', status: 0, content: hostile }]);
    expect(sections(splitOutput(out)).get('kernel')?.content).toBe(hostile);
  });

  it('round-trips arbitrary content byte for byte', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }), (contents) => {
        const out = encodeCollectOutput(
          NONCE,
          contents.map((content, i) => ({ name: `/proc/f${i}`, status: 0, content })),
        );
        const s = sections(splitOutput(out));
        contents.forEach((c, i) => expect(s.get(`/proc/f${i}`)?.content).toBe(c));
      }),
    );
  });

  it('skips a banner printed before the header by a noisy login shell', () => {
    const out = Buffer.concat([
      Buffer.from('Welcome to host7\nnot at line start: MEMFLEET-COLLECT 1 x\n'),
      encodeCollectOutput(NONCE, [{ name: 'kernel', status: 0, content: 'x\n' }]),
    ]);
    expect(sections(splitOutput(out)).get('kernel')?.content).toBe('x\n');
  });

  it('calls empty output a protocol failure, not garbage', () => {
    expect(failure(splitOutput(Buffer.alloc(0)))).toMatchObject({ garbage: false });
  });

  it('calls output without the header garbage', () => {
    expect(failure(splitOutput(Buffer.from('\x89PNG\r\n\x1a\n random noise')))).toMatchObject({
      garbage: true,
    });
  });

  it('calls a header with a malformed nonce garbage', () => {
    expect(failure(splitOutput(Buffer.from('MEMFLEET-COLLECT 1 $(rm -rf)\n')))).toMatchObject({
      garbage: true,
    });
  });

  it('reports truncation inside a section', () => {
    const full = encodeCollectOutput(NONCE, [
      { name: '/proc/meminfo', status: 0, content: 'MemTotal: 1 kB\n' },
    ]);
    const cut = full.subarray(0, full.indexOf('MemTotal') + 4);
    expect(failure(splitOutput(cut)).reason).toMatch(/never ended/);
  });

  it('reports output that stops between sections (no trailer)', () => {
    const full = encodeCollectOutput(NONCE, [{ name: 'kernel', status: 0, content: 'x\n' }]);
    const cut = full.subarray(0, full.length - encodeTrailer(NONCE).length);
    expect(failure(splitOutput(cut)).reason).toMatch(/cut short after 1 sections/);
  });

  it('reports a truncated end line', () => {
    const full = encodeCollectOutput(NONCE, [{ name: 'kernel', status: 0, content: 'x\n' }]);
    const cut = full.subarray(0, full.indexOf(' E 0 kernel') + 5);
    expect(failure(splitOutput(cut)).reason).toMatch(/cut short/);
  });

  it('rejects a section that appears twice', () => {
    const out = encodeCollectOutput(NONCE, [
      { name: '/proc/meminfo', status: 0, content: 'a\n' },
      { name: '/proc/meminfo', status: 0, content: 'b\n' },
    ]);
    expect(failure(splitOutput(out)).reason).toMatch(/appears twice/);
  });

  it('rejects a section that ends under another name', () => {
    const out = Buffer.from(
      `${encodeHeader(NONCE)}${encodeSectionStart(NONCE, 'a')}x\n${M} E 0 b \n${M} Z\n`,
    );
    expect(failure(splitOutput(out)).reason).toMatch(/ended as b/);
  });

  it('rejects a malformed or absurd exit status', () => {
    const out = Buffer.from(
      `${encodeHeader(NONCE)}${encodeSectionStart(NONCE, 'a')}x\n${M} E 99999999999 a \n${M} Z\n`,
    );
    expect(failure(splitOutput(out)).reason).toMatch(/malformed/);
  });

  it('rejects bytes between sections', () => {
    const out = Buffer.from(`${encodeHeader(NONCE)}junk\n${M} Z\n`);
    expect(failure(splitOutput(out)).reason).toMatch(/unexpected bytes/);
  });

  it('rejects an endless section name without scanning forever', () => {
    const out = Buffer.from(`${encodeHeader(NONCE)}${M} B ${'x'.repeat(100_000)}`);
    expect(failure(splitOutput(out)).reason).toMatch(/too long/);
  });

  it('never throws on random bytes after a valid header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = splitOutput(
          Buffer.concat([Buffer.from(encodeHeader(NONCE)), Buffer.from(bytes)]),
        );
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('splits an 8 MiB section without per-line work', () => {
    const big = 'x'.repeat(8 * 1024 * 1024);
    const out = encodeCollectOutput(NONCE, [{ name: 'ps', status: 0, content: big }]);
    const t0 = performance.now();
    const s = sections(splitOutput(out));
    expect(s.get('ps')?.content.length).toBe(big.length);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
