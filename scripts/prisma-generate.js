#!/usr/bin/env node
// `npm run db:generate`: generate the Prisma client into libs/db/src/generated.
//
// The Prisma CLI downloads its native schema engine at start-up, even for `generate`, which does
// not use it. Where that download cannot happen (no network but the npm registry) and no engine
// was installed, point PRISMA_SCHEMA_ENGINE_BINARY at an existing executable (node itself) so the
// CLI skips the download. Where the real engine exists, or the caller set the variable, the CLI
// runs untouched.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function nativeEngineInstalled() {
  const dirs = ['node_modules/@prisma/engines', 'node_modules/prisma'].map((d) =>
    path.join(root, d),
  );
  return dirs.some(
    (dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.startsWith('schema-engine')),
  );
}

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !nativeEngineInstalled()) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

const cli = path.join(root, 'node_modules/prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (result.error) {
  console.error(`db:generate: could not run the Prisma CLI: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
