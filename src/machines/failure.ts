/**
 * What went wrong with a request, reduced to what the machines need to decide
 * between retrying, refreshing tokens, waiting for the network, or giving up.
 * The transport builds these from fetch errors and HTTP responses.
 */
export type FailureKind = 'network' | 'retryable' | 'auth' | 'fatal';

export interface Failure {
  kind: FailureKind;
  /** A stable, text-free code: an HTTP status name, a server error code, or `network`. */
  code: string;
  status?: number;
  /** Server-requested wait before the next try (Retry-After), already clamped. */
  retryAfterMs?: number;
}

const kinds: ReadonlySet<string> = new Set<FailureKind>(['network', 'retryable', 'auth', 'fatal']);

/** Actor errors arrive as `unknown`; anything that is not a Failure is treated as a fatal bug. */
export function asFailure(error: unknown): Failure {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as Partial<Failure>;
    if (typeof candidate.kind === 'string' && kinds.has(candidate.kind) && typeof candidate.code === 'string') {
      return candidate as Failure;
    }
  }
  return { kind: 'fatal', code: 'unexpected' };
}
