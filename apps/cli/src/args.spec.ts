import { UsageError } from './errors';
import { parseCommand } from './args';

describe('parseCommand', () => {
  it('defaults inspect to the live machine, human output and the top 10 caches', () => {
    expect(parseCommand(['inspect'])).toEqual({
      name: 'inspect',
      source: { kind: 'live' },
      json: false,
      top: 10,
      color: undefined,
      saveBundle: undefined,
    });
  });

  it('reads --root, --json, --top, --no-color and --save-bundle', () => {
    expect(
      parseCommand([
        'inspect',
        '--root',
        '/srv/sos',
        '--json',
        '--top',
        '3',
        '--no-color',
        '--save-bundle',
        'b.json',
      ]),
    ).toEqual({
      name: 'inspect',
      source: { kind: 'root', dir: '/srv/sos' },
      json: true,
      top: 3,
      color: false,
      saveBundle: 'b.json',
    });
  });

  it("accepts '-' as the bundle path for stdin", () => {
    expect(parseCommand(['inspect', '--bundle', '-'])).toMatchObject({
      source: { kind: 'bundle', path: '-' },
    });
  });

  it.each([
    [['inspect', '--frobnicate']],
    [['inspect', '--root', '/a', '--bundle', 'b.json']],
    [['inspect', '--top', '-1']],
    [['inspect', '--top', 'ten']],
    [['inspect', '--root']],
    [['inspect', '--root', '']],
    [['inspect', 'stray']],
    [['inspekt']],
    [['capture', '--json']],
    [['inspect', '--save-bundle', '-']],
  ])('rejects %j as bad usage', (argv) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
  });

  it('treats no arguments, --help and inspect --help as a request for help', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
    expect(parseCommand(['--help'])).toEqual({ name: 'help' });
    expect(parseCommand(['inspect', '--help'])).toEqual({ name: 'help' });
  });

  it('writes capture to stdout unless --output names a file', () => {
    expect(parseCommand(['capture'])).toEqual({
      name: 'capture',
      source: { kind: 'live' },
      output: '-',
    });
    expect(parseCommand(['capture', '-o', 'x.json', '--root', '/t'])).toEqual({
      name: 'capture',
      source: { kind: 'root', dir: '/t' },
      output: 'x.json',
    });
  });
});
