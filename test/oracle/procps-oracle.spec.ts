import { cKibFixed2 } from './procps-oracle';

describe('cKibFixed2 (glibc %.2f of bytes / 1024.0)', () => {
  it('rounds exact ties half to even, as glibc does', () => {
    expect(cKibFixed2(128)).toBe('0.12'); // 0.125
    expect(cKibFixed2(384)).toBe('0.38'); // 0.375
    expect(cKibFixed2(2655616)).toBe('2593.38'); // 2593.375 -> the 8 is even
  });

  it('rounds non-ties to nearest', () => {
    expect(cKibFixed2(1023)).toBe('1.00'); // 0.99902...
    expect(cKibFixed2(1034)).toBe('1.01'); // 1.009765...
    expect(cKibFixed2(2951680)).toBe('2882.50');
  });
});
