export interface ModelProbeOptions {
  /** The model endpoint's origin, e.g. https://bedrock-runtime.us-east-1.amazonaws.com. */
  origin: string;
  /** How long one answer is trusted: probes run on every /readyz, the endpoint is asked far less. */
  cacheMs?: number;
  timeoutMs?: number;
  clock?: () => number;
  fetchFn?: typeof fetch;
  gauge?: { set(value: number): void };
}

/** The Bedrock runtime origin for a region, as the SDK would resolve it. */
export function bedrockOrigin(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/**
 * Reachability of the model endpoint without invoking a model: any HTTP answer (a 403 or 404 from
 * an unsigned GET included) proves DNS, TLS and the network path; only a network error or a
 * timeout counts as down. No tokens are spent, and the answer is cached so probes stay cheap.
 */
export function createModelProbe(options: ModelProbeOptions): () => Promise<void> {
  const cacheMs = options.cacheMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const clock = options.clock ?? Date.now;
  const fetchFn = options.fetchFn ?? fetch;
  let cached: { at: number; ok: boolean } | undefined;
  let inFlight: Promise<boolean> | undefined;

  const ask = async (): Promise<boolean> => {
    try {
      const response = await fetchFn(options.origin, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return true;
    } catch {
      return false;
    }
  };

  return async () => {
    if (cached === undefined || clock() - cached.at >= cacheMs) {
      // Concurrent probes share one request.
      inFlight ??= ask().finally(() => {
        inFlight = undefined;
      });
      const ok = await inFlight;
      cached = { at: clock(), ok };
      options.gauge?.set(ok ? 1 : 0);
    }
    if (!cached.ok) throw new Error('model endpoint unreachable');
  };
}
