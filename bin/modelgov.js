#!/usr/bin/env node
// Shim: runs the bundled CLI. main() sets process.exitCode (0 ok, 1 check failed, 2 could not run).
import { main } from '../dist/cli.js';

// A write past `ulimit -f` must fail with EFBIG (reported, exit 2, the old file kept), not kill
// the process half-way: Node already ignores SIGXFSZ; this keeps it so whatever embeds us.
process.on('SIGXFSZ', () => {});

await main(process.argv.slice(2));
