/**
 * Human-readable byte counts in IEC units (KiB = 1024 B), the units `free -h` uses. One decimal,
 * dropped when it is zero ("2 GiB", "1.5 GiB"); bytes below 1 KiB are printed whole ("512 B").
 */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  let value = Math.abs(n);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  let text = value.toFixed(1);
  // 1023.96 KiB rounds to "1024.0": promote it so the text never shows 1024 of a unit.
  if (text === '1024.0' && unit < UNITS.length - 1) {
    text = '1.0';
    unit += 1;
  }
  if (text.endsWith('.0')) text = text.slice(0, -2);
  return `${sign}${text} ${UNITS[unit]}`;
}
