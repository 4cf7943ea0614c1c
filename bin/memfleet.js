#!/usr/bin/env node
'use strict';
// The published entry point runs the compiled CLI; `npm run build` produces it.
const path = require('node:path');
const main = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
try {
  require.resolve(main);
} catch {
  process.stderr.write(`memfleet: ${main} is missing; run \`npm run build\` first\n`);
  process.exit(1);
}
require(main);
