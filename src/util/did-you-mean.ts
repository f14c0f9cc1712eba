/** Edit distance (insert, delete, substitute), for did-you-mean hints. */
export function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/**
 * The candidates a mistyped name most likely meant, closest first (at most `max`): same text
 * ignoring case, one containing the other, or within a third of the length in edits. Model
 * ids are long and differ in a date or two, so the bound grows with the input.
 */
export function didYouMean(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const bound = Math.max(2, Math.floor(input.length / 3));
  const scored: [string, number][] = [];
  for (const c of candidates) {
    const hay = c.toLowerCase();
    const score = hay === needle ? 0 : hay.includes(needle) || needle.includes(hay) ? 1 : levenshtein(needle, hay);
    if (score <= bound) scored.push([c, score]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([c]) => c);
}
