#!/usr/bin/env node
// The `ostinato` command: runs the TypeScript CLI (cli/main.ts) through tsx, so it works right after
// `npm install` without a build step.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS launcher */
require('tsx/cjs');
require('../cli/main.ts')
  .main()
  .catch((err) => {
    process.stderr.write(`ostinato: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 1;
  });
