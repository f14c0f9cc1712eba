// Preloaded into a benchmarked process (`node --require`): prints its peak resident memory on exit,
// so the bench can report what a command needed without an external `time` binary.
process.on('exit', () => process.stderr.write(`modelgov-bench-max-rss-kb ${process.resourceUsage().maxRSS}\n`));
