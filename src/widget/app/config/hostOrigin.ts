/**
 * The origin of the host page, trusted only when the `host` query parameter is
 * exactly one of the tenant's allowed origins. Where the browser exposes the
 * real embedding origin (`location.ancestorOrigins`, Chromium and Safari), it
 * must agree too. Null means: talk to no parent at all.
 */
export function resolveHostOrigin(
  search: string,
  allowedOrigins: readonly string[],
  ancestorOrigins: ArrayLike<string> | null | undefined,
): string | null {
  const host = new URLSearchParams(search).get('host');
  if (!host || !allowedOrigins.includes(host)) return null;
  if (ancestorOrigins && ancestorOrigins.length > 0 && ancestorOrigins[0] !== host) return null;
  return host;
}
