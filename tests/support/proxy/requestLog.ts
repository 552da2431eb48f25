/** One request the proxy saw: a plain-http request, or the CONNECT that opened a tunnel. */
export interface RequestRecord {
  at: number;
  kind: 'http' | 'connect';
  method: string;
  host: string;
  port: number;
  /** Path without the query; empty for CONNECT. */
  path: string;
  outcome: 'forwarded' | 'refused' | 'unreachable';
}

export interface RequestFilter {
  method?: string;
  host?: string;
  path?: string;
  /** Defaults to 'forwarded': what reached the server. */
  outcome?: RequestRecord['outcome'] | 'any';
}

const LIMIT = 10_000;

/** Counters by request, so a test can prove how often the browser really sent something. */
export class RequestLog {
  private records: RequestRecord[] = [];

  add(record: RequestRecord): void {
    this.records.push(record);
    // Bounded so that a long-running proxy for a QA team cannot grow without limit.
    if (this.records.length > LIMIT) this.records.splice(0, this.records.length - LIMIT);
  }

  list(filter: RequestFilter = {}): RequestRecord[] {
    const outcome = filter.outcome ?? 'forwarded';
    return this.records.filter(
      (record) =>
        (outcome === 'any' || record.outcome === outcome) &&
        (filter.method === undefined || record.method === filter.method.toUpperCase()) &&
        (filter.host === undefined || record.host === filter.host.toLowerCase()) &&
        (filter.path === undefined || record.path === filter.path),
    );
  }

  count(filter: RequestFilter = {}): number {
    return this.list(filter).length;
  }

  reset(): void {
    this.records = [];
  }
}
