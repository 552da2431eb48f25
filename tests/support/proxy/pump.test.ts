import { describe, expect, it } from 'vitest';
import type { LinkPolicy } from './faultBook.js';
import { ManualClock } from './manualClock.js';
import { Pump, type PumpSink } from './pump.js';

class RecordingSink implements PumpSink {
  writes: Array<{ at: number; text: string }> = [];
  ended = false;
  constructor(private readonly clock: ManualClock) {}
  write(chunk: Buffer): boolean {
    this.writes.push({ at: this.clock.now(), text: chunk.toString() });
    return true;
  }
  end(): void {
    this.ended = true;
  }
  once(): this {
    return this;
  }
  get text(): string {
    return this.writes.map((write) => write.text).join('');
  }
}

class CountingSource {
  paused = 0;
  resumed = 0;
  pause() {
    this.paused += 1;
  }
  resume() {
    this.resumed += 1;
  }
}

const clear: LinkPolicy = { stalled: false, throttle: null, coalesce: null };

function setup(initial: LinkPolicy = clear) {
  const clock = new ManualClock();
  const sink = new RecordingSink(clock);
  const source = new CountingSource();
  let policy = initial;
  const pump = new Pump(source, sink, () => policy, clock);
  return {
    clock,
    sink,
    source,
    pump,
    set(next: LinkPolicy) {
      policy = next;
      pump.refresh();
    },
  };
}

describe('Pump', () => {
  it('passes bytes straight through and ends the sink after them when no fault is set', () => {
    const { pump, sink } = setup();
    pump.push(Buffer.from('ab'));
    pump.push(Buffer.from('cd'));
    pump.finish();
    expect(sink.writes.map((write) => write.text)).toEqual(['ab', 'cd']);
    expect(sink.ended).toBe(true);
  });

  it('holds bytes and the FIN while stalled, then delivers them in order when the stall lifts', () => {
    const { pump, sink, source, clock, set } = setup({ ...clear, stalled: true });
    pump.push(Buffer.from('one,'));
    pump.push(Buffer.from('two'));
    pump.finish();
    clock.advance(60_000);
    expect(sink.writes).toEqual([]);
    expect(sink.ended).toBe(false);
    expect(source.paused).toBe(1);
    set(clear);
    expect(sink.text).toBe('one,two');
    expect(sink.ended).toBe(true);
    expect(source.resumed).toBe(1);
  });

  it('delays each chunk by the latency and paces bytes at the throttled rate', () => {
    const { pump, sink, clock } = setup({ ...clear, throttle: { bytesPerSecond: 100, latencyMs: 200 } });
    pump.push(Buffer.from('x'.repeat(20)));
    expect(sink.writes).toEqual([]);
    clock.advance(199);
    expect(sink.writes).toEqual([]);
    clock.advance(1);
    // 100 B/s leaves in 50 ms slices of 5 bytes: the 20 bytes take 200 ms after the latency.
    expect(sink.writes).toEqual([{ at: 200, text: 'xxxxx' }]);
    clock.advance(1_000);
    expect(sink.writes.map((write) => write.at)).toEqual([200, 250, 300, 350]);
    expect(sink.text).toBe('x'.repeat(20));
  });

  it('merges chunks that arrive between coalescing ticks into one write on the next tick', () => {
    const { pump, sink, clock } = setup({ ...clear, coalesce: { ms: 100, since: 0 } });
    clock.advance(10);
    pump.push(Buffer.from('data: a\n\n'));
    clock.advance(30);
    pump.push(Buffer.from('data: b\n\n'));
    clock.advance(59);
    expect(sink.writes).toEqual([]);
    clock.advance(1);
    expect(sink.writes).toEqual([{ at: 100, text: 'data: a\n\ndata: b\n\n' }]);
    clock.advance(10);
    pump.push(Buffer.from('data: c\n\n'));
    expect(sink.writes).toHaveLength(1);
    clock.advance(90);
    expect(sink.writes[1]).toEqual({ at: 200, text: 'data: c\n\n' });
  });

  it('sends what is held at once when a throttle is lifted mid-stream', () => {
    const { pump, sink, clock, set } = setup({ ...clear, throttle: { bytesPerSecond: 20, latencyMs: 0 } });
    pump.push(Buffer.from('0123456789'));
    expect(sink.text).toBe('0');
    clock.advance(10);
    set(clear);
    expect(sink.text).toBe('0123456789');
  });

  it('drops what it holds and never ends the sink once disposed', () => {
    const { pump, sink, clock } = setup({ ...clear, throttle: { bytesPerSecond: 10, latencyMs: 100 } });
    pump.push(Buffer.from('abc'));
    pump.finish();
    pump.dispose();
    clock.advance(10_000);
    expect(sink.writes).toEqual([]);
    expect(sink.ended).toBe(false);
  });
});
