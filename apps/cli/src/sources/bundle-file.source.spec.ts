import { InputError } from '../errors';
import { parseBundleText } from './bundle-file.source';

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('parseBundleText', () => {
  it('accepts a bundle that matches the shared schema', () => {
    const r = parseBundleText(
      lines('{', '  "files": { "/proc/meminfo": "MemTotal: 1 kB\\n" },', '  "pageSize": 4096', '}'),
      'b.json',
    );
    expect(r.bundle.pageSize).toBe(4096);
  });

  it('names the line of a JSON syntax error', () => {
    const text = lines('{', '  "files": {', '    "/proc/meminfo": "x",', '  }', '}');
    expect(() => parseBundleText(text, 'b.json')).toThrow(/^b\.json:4: not valid JSON/);
  });

  it('names the line and the field of a schema violation', () => {
    const text = lines('{', '  "files": {', '    "/proc/meminfo": 5', '  }', '}');
    try {
      parseBundleText(text, 'b.json');
      throw new Error('accepted an invalid bundle');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).line).toBe(3);
      expect((e as InputError).message).toContain('files["/proc/meminfo"]');
    }
  });

  it('points at the end of a truncated document', () => {
    expect(() => parseBundleText('{\n"files": {}\n', 'b.json')).toThrow(/^b\.json:3: /);
  });
});
