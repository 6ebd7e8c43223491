// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
// attempt 1 waits up to base, attempt 2 up to 2×base… capped at one hour. Half of the delay is
// kept fixed so retries never bunch at zero.
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(3600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
