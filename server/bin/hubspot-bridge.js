#!/usr/bin/env node
// The `hubspot-bridge` command: the TypeScript CLI run through tsx (the project ships no build step).
require('tsx/cjs');
require('../src/cli/index.ts').main(process.argv.slice(2));
