#!/usr/bin/env node
'use strict';
// The published entry point runs the compiled CLI; `npm run build` produces it.
require('../dist/apps/cli/src/main.js');
