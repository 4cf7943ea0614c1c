import {
  AllowListError,
  checkUrlAtCreation,
  EMPTY_ALLOW_LIST,
  guardedLookup,
  parseAllowList,
  refusalReason,
  SsrfRefusedError,
  type Resolve,
} from './ssrf-guard';

const loopbackAllowed = parseAllowList('127.0.0.0/8');
const everything = parseAllowList('0.0.0.0/0,::/0');

describe('refusalReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.10.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['224.0.0.1', 'multicast'],
  ])('refuses %s as %s by default', (address, range) => {
    expect(refusalReason(address)).toBe(`${range} address`);
  });

  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '::',
    '169.254.169.254',
    '::ffff:169.254.169.254',
    'fd00:ec2::254',
  ])('refuses %s even when the allow-list admits everything', (address) => {
    expect(refusalReason(address, everything)).toMatch(/never allowed/);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
  ])('admits the public address %s', (address) => {
    expect(refusalReason(address)).toBeNull();
  });

  it('admits private addresses inside the allow-list and nothing beyond it', () => {
    expect(refusalReason('127.0.0.1', loopbackAllowed)).toBeNull();
    expect(refusalReason('::ffff:127.0.0.1', loopbackAllowed)).toBeNull();
    expect(refusalReason('::1', loopbackAllowed)).toBe('loopback address');
    expect(refusalReason('10.0.0.1', loopbackAllowed)).toBe('private address');
  });

  it('refuses what is not an IP address', () => {
    expect(refusalReason('example.com')).toBe('not an IP address');
  });
});

describe('parseAllowList', () => {
  it('reads CIDRs and bare addresses, unset meaning none', () => {
    expect(parseAllowList(undefined)).toBe(EMPTY_ALLOW_LIST);
    expect(parseAllowList('10.1.0.0/16, 192.168.5.5 ,fd00::/8').cidrs).toHaveLength(3);
    expect(refusalReason('192.168.5.5', parseAllowList('192.168.5.5'))).toBeNull();
    expect(refusalReason('192.168.5.6', parseAllowList('192.168.5.5'))).toBe('private address');
  });

  it('names every bad entry', () => {
    expect(() => parseAllowList('127.0.0.0/8,localhost,10.0.0.0/33')).toThrow(AllowListError);
    expect(() => parseAllowList('127.0.0.0/8,localhost,10.0.0.0/33')).toThrow(
      /bad entries: "localhost", "10.0.0.0\/33"/,
    );
  });
});

describe('guardedLookup', () => {
  it('answers a name that resolves only to refused addresses with SsrfRefusedError', async () => {
    const lookup = guardedLookup(EMPTY_ALLOW_LIST) as unknown as (
      host: string,
      opts: { all: boolean },
      cb: (err: Error | null, addresses: unknown) => void,
    ) => void;
    const err = await new Promise<Error | null>((resolve) =>
      lookup('localhost', { all: true }, (e) => resolve(e)),
    );
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect((err as SsrfRefusedError).host).toBe('localhost');
  });

  it('passes admitted addresses through in the shape asked for', async () => {
    const lookup = guardedLookup(loopbackAllowed) as unknown as (
      host: string,
      opts: { all: boolean },
      cb: (err: Error | null, address: unknown, family?: number) => void,
    ) => void;
    const one = await new Promise<unknown[]>((resolve) =>
      lookup('127.0.0.1', { all: false }, (...args) => resolve(args)),
    );
    expect(one).toEqual([null, '127.0.0.1', 4]);
    const all = await new Promise<unknown[]>((resolve) =>
      lookup('127.0.0.1', { all: true }, (...args) => resolve(args)),
    );
    expect(all).toEqual([null, [{ address: '127.0.0.1', family: 4 }]]);
  });
});

describe('checkUrlAtCreation', () => {
  it('rejects URLs whose host is or resolves only to refused addresses', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'https://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'http://localhost:3000/',
      // The WHATWG parser normalises these spellings of 127.0.0.1 before the guard sees them.
      'http://2130706433/',
      'http://0x7f.1/',
      'http://127.1/',
    ]) {
      const check = await checkUrlAtCreation(url);
      expect(check).toEqual({ ok: false, reason: expect.stringMatching(/refused addresses/) });
    }
  });

  it('rejects the metadata address even when everything is allowed', async () => {
    const check = await checkUrlAtCreation('http://169.254.169.254/', everything);
    expect(check.ok).toBe(false);
  });

  it('accepts public addresses and allowed private ones', async () => {
    expect(await checkUrlAtCreation('https://8.8.8.8/hook')).toEqual({
      ok: true,
      addresses: ['8.8.8.8'],
    });
    expect(await checkUrlAtCreation('http://localhost:3000/', loopbackAllowed)).toMatchObject({
      ok: true,
    });
  });

  it('rejects non-http schemes, credentials and garbage', async () => {
    expect(await checkUrlAtCreation('ftp://8.8.8.8/')).toMatchObject({ ok: false });
    expect(await checkUrlAtCreation('file:///etc/passwd')).toMatchObject({ ok: false });
    expect(await checkUrlAtCreation('https://u:p@8.8.8.8/')).toMatchObject({ ok: false });
    expect(await checkUrlAtCreation('not a url')).toEqual({ ok: false, reason: 'not a valid URL' });
  });

  it('reports a name that does not resolve', async () => {
    // A resolver that answers NXDOMAIN, so the spec does not depend on the host's DNS.
    const nxdomain: Resolve = (host, _opts, cb) =>
      cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
    const check = await checkUrlAtCreation(
      'http://no-such-host.invalid/',
      EMPTY_ALLOW_LIST,
      nxdomain,
    );
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/cannot resolve/) });
  });
});
