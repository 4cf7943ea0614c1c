import fc from 'fast-check';
import { parseInventory } from './index';

/** Text made of what inventories are made of, so the parsers meet their own edge cases. */
const inventoryish = fc
  .array(
    fc.constantFrom(
      '[',
      ']',
      ':',
      '=',
      ' ',
      '\n',
      '#',
      '"',
      "'",
      'web',
      '01',
      'a',
      'vars',
      'children',
      'hosts',
      'all',
      '-',
      '  ',
      '{',
      '}',
      '&x',
      '*x',
      'ansible_port',
      '[1:3]',
      '.',
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('parseInventory (properties)', () => {
  it('never throws, and every error names a line of the text', () => {
    fc.assert(
      fc.property(inventoryish, fc.constantFrom('ini', 'yaml', 'auto' as const), (text, format) => {
        const result = parseInventory(text, format, 200);
        const lines = text.split('\n').length;
        if (result.kind === 'error') {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.line).toBeLessThanOrEqual(lines);
          }
          return;
        }
        const names = result.hosts.map((h) => h.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names.length).toBeLessThanOrEqual(200);
        for (const h of result.hosts) expect(h.groups).not.toContain('all');
      }),
      { numRuns: 2000 },
    );
  });

  it('turns an alias bomb into an invalid host, not a crash', () => {
    const bomb = [
      'all:',
      '  hosts:',
      '    h1:',
      '      a: &a [x, x, x, x, x, x, x, x, x, x]',
      '      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      '      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      '      d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '    h2:',
    ].join('\n');
    expect(parseInventory(bomb, 'yaml')).toMatchObject({
      kind: 'ok',
      hosts: [{ name: 'h2' }],
      invalid: [{ name: 'h1', line: 3, reason: expect.stringContaining('could not be read') }],
    });
  });
});
