export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniform pick in [0, min(cap, base * 2^attempt)).
 * Spreading retries over the whole window keeps many widgets that lost the same
 * network from reconnecting in lock-step when it returns.
 * @param attempt 0 for the first retry of an outage.
 * @param random a source in [0, 1); injected so tests are deterministic.
 */
export function fullJitterBackoff(attempt: number, random: () => number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const pick = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(pick * ceiling);
}
