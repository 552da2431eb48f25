import type { Clock } from './clock.js';

/** Which hosts a fault applies to: exact names or `*.suffix`; absent means every host. */
export interface FaultScope {
  hosts?: readonly string[];
}

export interface Throttle {
  bytesPerSecond: number;
  latencyMs: number;
}

/** How one connection must behave right now, derived from the active faults for its host. */
export interface LinkPolicy {
  stalled: boolean;
  throttle: Throttle | null;
  /** Downstream bytes are released only on ticks of `coalesceMs` counted from `coalesceSince`. */
  coalesce: { ms: number; since: number } | null;
}

export interface FaultSnapshot {
  block: { until: number | 'restore'; hosts: string[] | null } | null;
  stall: { hosts: string[] | null } | null;
  throttle: (Throttle & { hosts: string[] | null }) | null;
  coalesce: { ms: number; since: number; hosts: string[] | null } | null;
}

interface Scoped {
  hosts: string[] | null;
}

function normaliseScope(scope: FaultScope | undefined): string[] | null {
  if (!scope?.hosts || scope.hosts.length === 0) return null;
  return scope.hosts.map((host) => host.toLowerCase());
}

export function scopeMatches(hosts: readonly string[] | null, host: string): boolean {
  if (hosts === null) return true;
  const name = host.toLowerCase();
  return hosts.some((pattern) => (pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) : name === pattern));
}

/**
 * The faults in force. One slot per kind of fault, each with its own host scope, so a test can
 * throttle everything while blocking only the BFF.
 */
export class FaultBook {
  private blockSlot: (Scoped & { until: number }) | null = null;
  private stallSlot: Scoped | null = null;
  private throttleSlot: (Scoped & Throttle) | null = null;
  private coalesceSlot: (Scoped & { ms: number; since: number }) | null = null;

  constructor(private readonly clock: Clock) {}

  block(duration: number | 'until-restore', scope?: FaultScope): void {
    if (duration !== 'until-restore' && !(Number.isFinite(duration) && duration > 0)) {
      throw new RangeError('block duration must be a positive number of milliseconds or "until-restore"');
    }
    const until = duration === 'until-restore' ? Number.POSITIVE_INFINITY : this.clock.now() + duration;
    this.blockSlot = { hosts: normaliseScope(scope), until };
  }

  stall(scope?: FaultScope): void {
    this.stallSlot = { hosts: normaliseScope(scope) };
  }

  throttle(throttle: Throttle, scope?: FaultScope): void {
    if (!(throttle.bytesPerSecond >= 1) || !(throttle.latencyMs >= 0)) {
      throw new RangeError('throttle needs bytesPerSecond >= 1 and latencyMs >= 0');
    }
    this.throttleSlot = { hosts: normaliseScope(scope), ...throttle };
  }

  coalesce(ms: number, scope?: FaultScope): void {
    if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError('coalesce needs a positive interval in milliseconds');
    this.coalesceSlot = { hosts: normaliseScope(scope), ms, since: this.clock.now() };
  }

  restore(): void {
    this.blockSlot = null;
    this.stallSlot = null;
    this.throttleSlot = null;
    this.coalesceSlot = null;
  }

  isBlocked(host: string): boolean {
    const slot = this.blockSlot;
    if (!slot) return false;
    if (this.clock.now() >= slot.until) {
      this.blockSlot = null;
      return false;
    }
    return scopeMatches(slot.hosts, host);
  }

  policyFor(host: string): LinkPolicy {
    const throttle = this.throttleSlot && scopeMatches(this.throttleSlot.hosts, host) ? this.throttleSlot : null;
    const coalesce = this.coalesceSlot && scopeMatches(this.coalesceSlot.hosts, host) ? this.coalesceSlot : null;
    return {
      stalled: this.stallSlot !== null && scopeMatches(this.stallSlot.hosts, host),
      throttle: throttle && { bytesPerSecond: throttle.bytesPerSecond, latencyMs: throttle.latencyMs },
      coalesce: coalesce && { ms: coalesce.ms, since: coalesce.since },
    };
  }

  snapshot(): FaultSnapshot {
    const blocked = this.blockSlot && this.clock.now() < this.blockSlot.until ? this.blockSlot : null;
    return {
      block: blocked && { until: Number.isFinite(blocked.until) ? blocked.until : 'restore', hosts: blocked.hosts },
      stall: this.stallSlot && { hosts: this.stallSlot.hosts },
      throttle: this.throttleSlot && { ...this.throttleSlot },
      coalesce: this.coalesceSlot && { ...this.coalesceSlot },
    };
  }
}
