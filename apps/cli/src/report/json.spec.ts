import { toJson } from './json';

describe('toJson', () => {
  it('writes bigints past 2^53 as exact JSON integers', () => {
    const text = toJson({ pgpgin: 18446744073709551615n, small: 5n }, 0);
    expect(text).toBe('{"pgpgin":18446744073709551615,"small":5}');
  });

  it('leaves strings that look like its own marker alone', () => {
    const value = { comm: 'bigint-0000000000000000:12' };
    expect(JSON.parse(toJson(value))).toEqual(value);
  });
});
