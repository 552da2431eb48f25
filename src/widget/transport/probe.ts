import type { Failure } from '../../machines/failure.js';
import type { HttpDeps } from './http.js';

const unreachable: Failure = { kind: 'network', code: 'probe_failed' };

/**
 * `GET /healthz` as a reachability check. The browser's `online` event only says
 * an interface is up (a captive portal, a dead Wi-Fi), so only an answer from
 * the BFF itself counts as being back.
 */
export async function probeHealth(deps: HttpDeps, timeoutMs = 4_000): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await deps.fetch(`${deps.apiBase}/healthz`, { cache: 'no-store', signal: controller.signal });
    if (!response.ok) throw unreachable;
  } catch {
    throw unreachable;
  } finally {
    clearTimeout(timer);
  }
}
