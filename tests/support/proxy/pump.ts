import type { Clock } from './clock.js';
import type { LinkPolicy } from './faultBook.js';

/** Where a pump writes: a socket in production, a recorder in unit tests. */
export interface PumpSink {
  write(chunk: Buffer): boolean;
  end(): void;
  once(event: 'drain', listener: () => void): unknown;
}

/** What a pump reads from; paused to push back when bytes pile up or the link is stalled. */
export interface PumpSource {
  pause(): unknown;
  resume(): unknown;
}

interface Pending {
  data: Buffer;
  arrivedAt: number;
  /** Already past latency and coalescing (the rest of a throttled slice). */
  released: boolean;
}

const HIGH_WATER = 1 << 20;
/** Throttled bytes leave in slices of this many milliseconds' worth, like packets on a slow link. */
const SLICE_MS = 50;

/**
 * Moves bytes in one direction of a connection, obeying the link's policy at every step:
 * a stall holds everything (and the FIN) without closing; latency delays each chunk;
 * coalescing releases bytes only on interval ticks, merged into one write; a rate cap
 * lets them out in slices. The policy is read afresh on every step, so faults can change
 * mid-stream and held bytes are delivered in order once they lift.
 */
export class Pump {
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private timer: unknown = null;
  private waitingForDrain = false;
  private sourcePaused = false;
  private sourceEnded = false;
  private finished = false;
  private disposed = false;
  private nextFreeAt = 0;
  private onFinished: (() => void) | null = null;

  constructor(
    private readonly source: PumpSource,
    private readonly sink: PumpSink,
    private readonly policy: () => LinkPolicy,
    private readonly clock: Clock,
  ) {}

  get buffered(): number {
    return this.queuedBytes;
  }

  get done(): boolean {
    return this.finished;
  }

  push(data: Buffer): void {
    if (this.disposed || data.length === 0) return;
    this.queue.push({ data, arrivedAt: this.clock.now(), released: false });
    this.queuedBytes += data.length;
    if (this.queuedBytes > HIGH_WATER) this.pauseSource();
    this.run();
  }

  /** The source sent its FIN: pass it on once every held byte has gone out. */
  finish(onFinished?: () => void): void {
    if (this.finished || this.disposed) {
      onFinished?.();
      return;
    }
    this.sourceEnded = true;
    if (onFinished) this.onFinished = onFinished;
    this.run();
  }

  /** Re-read the policy now (a fault was set or lifted). */
  refresh(): void {
    this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private run(): void {
    this.clearTimer();
    if (this.disposed || this.finished) return;
    const policy = this.policy();
    if (policy.stalled) {
      // Reading nothing more lets TCP push back on the sender, as on a dead link.
      this.pauseSource();
      return;
    }
    while (!this.waitingForDrain && this.queue.length > 0) {
      const now = this.clock.now();
      const ready = this.takeReady(policy, now);
      if (ready === null) return;
      const chunk = this.applyRate(policy, ready, now);
      if (chunk === null) return;
      this.queuedBytes -= chunk.length;
      if (!this.sink.write(chunk)) {
        this.waitingForDrain = true;
        this.sink.once('drain', () => {
          this.waitingForDrain = false;
          this.run();
        });
      }
    }
    if (this.waitingForDrain) return;
    if (this.sourcePaused && this.queuedBytes < HIGH_WATER / 2) {
      this.sourcePaused = false;
      this.source.resume();
    }
    if (this.sourceEnded && this.queue.length === 0) {
      this.finished = true;
      this.sink.end();
      this.onFinished?.();
    }
  }

  /** Removes and merges every chunk due by `now`; schedules a wake-up and returns null if none is. */
  private takeReady(policy: LinkPolicy, now: number): Buffer | null {
    const parts: Buffer[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const due = this.dueAt(head, policy);
      if (due > now) {
        if (parts.length === 0) {
          this.wakeAt(due, now);
          return null;
        }
        break;
      }
      parts.push(head.data);
      this.queue.shift();
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Cuts `ready` to what the rate cap allows now; puts the rest back at the head of the queue. */
  private applyRate(policy: LinkPolicy, ready: Buffer, now: number): Buffer | null {
    const throttle = policy.throttle;
    if (!throttle) return ready;
    if (now < this.nextFreeAt) {
      this.queue.unshift({ data: ready, arrivedAt: now, released: true });
      this.wakeAt(this.nextFreeAt, now);
      return null;
    }
    const sliceBytes = Math.max(1, Math.floor((throttle.bytesPerSecond * SLICE_MS) / 1000));
    const chunk = ready.subarray(0, sliceBytes);
    if (ready.length > sliceBytes) this.queue.unshift({ data: ready.subarray(sliceBytes), arrivedAt: now, released: true });
    this.nextFreeAt = now + (chunk.length * 1000) / throttle.bytesPerSecond;
    return chunk;
  }

  private dueAt(item: Pending, policy: LinkPolicy): number {
    if (item.released) return item.arrivedAt;
    let due = item.arrivedAt + (policy.throttle?.latencyMs ?? 0);
    const coalesce = policy.coalesce;
    if (coalesce) due = coalesce.since + Math.ceil((due - coalesce.since) / coalesce.ms) * coalesce.ms;
    return due;
  }

  private wakeAt(at: number, now: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.run();
    }, Math.max(0, Math.ceil(at - now)));
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private pauseSource(): void {
    if (this.sourcePaused) return;
    this.sourcePaused = true;
    this.source.pause();
  }
}
