import { decideHostKey } from './host-key-policy';

const A = 'SHA256:TfvYBGueCdEX7k9mhT0ZhITihXZqmRJA820mRPJ/lUI';
const B = 'SHA256:BV2B/VXgujjit0E9vbiwkEeCvvkv0gxO3ERW5fTYX/I';

describe('decideHostKey', () => {
  it('tofu without a recorded key accepts and marks first use', () => {
    expect(decideHostKey({ policy: 'tofu' }, A)).toEqual({ accept: true, firstUse: true });
    expect(decideHostKey({ policy: 'tofu', fingerprint: null }, A)).toEqual({
      accept: true,
      firstUse: true,
    });
  });
  it('tofu with a recorded key accepts only that key', () => {
    expect(decideHostKey({ policy: 'tofu', fingerprint: A }, A)).toEqual({
      accept: true,
      firstUse: false,
    });
    expect(decideHostKey({ policy: 'tofu', fingerprint: A }, B)).toEqual({
      accept: false,
      expected: A,
    });
  });
  it('pinned accepts only the pinned key', () => {
    expect(decideHostKey({ policy: 'pinned', fingerprint: B }, B)).toEqual({
      accept: true,
      firstUse: false,
    });
    expect(decideHostKey({ policy: 'pinned', fingerprint: B }, A)).toEqual({
      accept: false,
      expected: B,
    });
  });
  it('pinned without a pin trusts nothing', () => {
    expect(decideHostKey({ policy: 'pinned' }, A).accept).toBe(false);
  });
});
