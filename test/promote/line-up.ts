/**
 * Lines `n` callers up at one point: each `arrive()` resolves once all `n` have arrived, or once
 * `release()` is called (a caller that failed before arriving must not leave the others waiting).
 */
export function lineUp(n: number): { arrive: () => Promise<void>; release: () => void; arrived: () => number } {
  let count = 0;
  let open!: () => void;
  const all = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive: () => {
      if (++count === n) open();
      return all;
    },
    release: () => open(),
    arrived: () => count,
  };
}
