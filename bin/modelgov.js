#!/usr/bin/env node
// Shim: runs the bundled CLI. main() sets process.exitCode (0 ok, 1 check failed, 2 could not run).
import { main } from '../dist/cli.js';

await main(process.argv.slice(2));
