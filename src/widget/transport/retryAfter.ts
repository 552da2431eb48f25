const seconds = /^\s*(\d{1,9})\s*$/;
/** All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name. */
const httpDate = /^\s*[A-Za-z]{3}/;

/**
 * Reads a Retry-After header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * Returns milliseconds to wait from `nowMs`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const delay = seconds.exec(value);
  if (delay?.[1] !== undefined) return Number(delay[1]) * 1000;
  const date = httpDate.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
