import { formatBytes } from './format';

describe('formatBytes', () => {
  it('prints whole bytes below one KiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('uses IEC units with one decimal and drops a trailing .0', () => {
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(15 * 1024 ** 3)).toBe('15 GiB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2 TiB');
  });

  it('never prints 1024 of a unit after rounding', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MiB');
  });

  it('keeps the sign of negative numbers', () => {
    expect(formatBytes(-1.5 * 1024 ** 2)).toBe('-1.5 MiB');
  });
});
