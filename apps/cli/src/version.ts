import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version of the memfleet package this file belongs to. The file runs from
 * apps/cli/src (swc-node, tests) or from dist/apps/cli/src (built), so the package.json is found
 * by walking up rather than by a fixed relative path.
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'memfleet' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
