import { describe, expect, it } from 'vitest';
import { createConnectionHarness, delta, networkDown } from './support/connectionHarness.js';

const hello = { messageId: 'm-1', text: 'hello' };
const serverDown = { kind: 'retryable' as const, code: 'http_503', status: 503 };

async function streamingHarness(input: Parameters<typeof createConnectionHarness>[0] = {}) {
  const h = createConnectionHarness(input);
  await h.authorize();
  h.send({ type: 'SEND', turn: hello });
  h.lastStream().open();
  h.lastStream().event(delta('1', 'Hel'));
  return h;
}

describe('connectionMachine: stall watchdog', () => {
  it('declares a silent stream stalled after two heartbeat intervals and reconnects', async () => {
    const h = await streamingHarness();
    h.advance(29_999);
    expect(h.state()).toBe('streaming');
    h.advance(1);
    expect(h.state()).toBe('reconnecting');
    expect(h.streams[0]?.stopped).toBe(true);
    expect(h.context().failure).toEqual({ kind: 'network', code: 'stalled' });
    expect(h.context().attempts).toBe(1);
  });

  it('restarts the watchdog on every heartbeat', async () => {
    const h = await streamingHarness();
    h.advance(25_000);
    h.lastStream().activity();
    h.advance(25_000);
    h.lastStream().event(delta('2', 'lo'));
    h.advance(25_000);
    expect(h.state()).toBe('streaming');
  });

  it('uses the injected heartbeat interval', async () => {
    const h = await streamingHarness({ timing: { heartbeatMs: 1_000 } });
    h.advance(1_999);
    expect(h.state()).toBe('streaming');
    h.advance(1);
    expect(h.state()).toBe('reconnecting');
  });

  it('also gives up on a request whose response never starts', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.advance(30_000);
    expect(h.state()).toBe('reconnecting');
  });
});

describe('connectionMachine: reconnecting', () => {
  it('resumes with the same message and the last applied id after the backoff', async () => {
    const h = await streamingHarness();
    h.lastStream().fail(networkDown);
    expect(h.state()).toBe('reconnecting');
    h.advance(125); // random 0.5 of the first window, 250 ms
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input).toEqual({ turn: hello, lastEventId: '1', attemptId: 2 });
  });

  it('keeps every backoff within its full-jitter window', async () => {
    const h = await streamingHarness({ random: () => 0.999 });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const ceiling = Math.min(1_000, 250 * 2 ** attempt);
      h.lastStream().fail(serverDown);
      expect(h.state()).toBe('reconnecting');
      h.advance(Math.floor(0.999 * ceiling) - 1);
      expect(h.state()).toBe('reconnecting');
      h.advance(1);
      expect(h.state()).toBe('connecting');
    }
  });

  it('retries at once when the jitter picks zero', async () => {
    const h = await streamingHarness({ random: () => 0 });
    h.lastStream().fail(serverDown);
    h.advance(0);
    expect(h.state()).toBe('connecting');
  });

  it('waits exactly as long as Retry-After asks', async () => {
    const h = await streamingHarness();
    h.lastStream().fail({ kind: 'retryable', code: 'http_429', status: 429, retryAfterMs: 5_000 });
    h.advance(4_999);
    expect(h.state()).toBe('reconnecting');
    h.advance(1);
    expect(h.state()).toBe('connecting');
  });

  it('cuts an excessive Retry-After to the configured maximum', async () => {
    const h = await streamingHarness({ timing: { maxRetryAfterMs: 2_000 } });
    h.lastStream().fail({ kind: 'retryable', code: 'http_503', status: 503, retryAfterMs: 3_600_000 });
    h.advance(2_000);
    expect(h.state()).toBe('connecting');
  });

  it('fails after the allowed number of tries and marks the reply interrupted', async () => {
    const h = await streamingHarness();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      h.lastStream().fail(serverDown);
      expect(h.state()).toBe('reconnecting');
      h.advance(10_000);
    }
    h.lastStream().fail(serverDown);
    expect(h.state()).toBe('failed');
    expect(h.emitted).toContainEqual({ type: 'turn.interrupted', messageId: 'm-1' });
    expect(h.streams).toHaveLength(9);
  });

  it('starts a fresh count of tries once the stream makes progress again', async () => {
    const h = await streamingHarness();
    h.lastStream().fail(serverDown);
    h.advance(10_000);
    h.lastStream().fail(serverDown);
    h.advance(10_000);
    expect(h.context().attempts).toBe(2);
    h.lastStream().open();
    h.lastStream().event(delta('2', 'lo'));
    expect(h.context().attempts).toBe(0);
  });

  it('ignores failures and events from an attempt that was already replaced', async () => {
    const h = await streamingHarness();
    const old = h.lastStream();
    old.fail(networkDown);
    h.advance(10_000);
    const current = h.lastStream();
    current.open();
    old.fail(serverDown);
    old.event(delta('2', 'stale'));
    old.send({ type: 'STREAM.OPEN', attemptId: old.input.attemptId });
    expect(h.state()).toBe('streaming');
    expect(h.context().attempts).toBe(1);
    expect(h.emitted.filter((e) => e.type === 'turn.delta')).toHaveLength(1);
    current.event(delta('2', 'lo'));
    expect(h.emitted.filter((e) => e.type === 'turn.delta')).toHaveLength(2);
  });

  it('never has two requests open for one turn', async () => {
    const h = await streamingHarness();
    for (let i = 0; i < 4; i += 1) {
      h.lastStream().fail(networkDown);
      h.advance(10_000);
    }
    const open = h.streams.filter((stream) => !stream.stopped);
    expect(open).toHaveLength(1);
  });

  it('repeats a stop pressed during an outage once the stream is back', async () => {
    const h = await streamingHarness();
    h.lastStream().fail(networkDown);
    h.send({ type: 'STOP' });
    h.advance(10_000);
    h.lastStream().open();
    await Promise.resolve();
    expect(h.stops).toEqual([{ messageId: 'm-1' }]);
  });
});

describe('connectionMachine: tokens', () => {
  it('refreshes tokens once on a 401 and resumes the turn', async () => {
    const h = await streamingHarness();
    h.lastStream().fail({ kind: 'auth', code: 'http_401', status: 401 });
    expect(h.state()).toBe('authorizing');
    expect(h.authorizations.at(-1)?.input).toEqual({ mode: 'refresh' });
    await h.resolveAuthorization();
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input.lastEventId).toBe('1');
  });

  it('fails on a second 401 in a row instead of refreshing forever', async () => {
    const h = await streamingHarness();
    h.lastStream().fail({ kind: 'auth', code: 'http_401', status: 401 });
    await h.resolveAuthorization();
    h.lastStream().fail({ kind: 'auth', code: 'http_401', status: 401 });
    expect(h.state()).toBe('failed');
    expect(h.authorizations).toHaveLength(2);
  });

  it('retries a failed authorization with backoff, then authorizes again', async () => {
    const h = createConnectionHarness();
    h.send({ type: 'START' });
    await h.rejectAuthorization(serverDown);
    expect(h.state()).toBe('reconnecting');
    h.advance(10_000);
    expect(h.state()).toBe('authorizing');
    await h.resolveAuthorization();
    expect(h.state()).toBe('ready');
  });

  it('fails when authorization is refused outright', async () => {
    const h = createConnectionHarness();
    h.send({ type: 'START' });
    await h.rejectAuthorization({ kind: 'fatal', code: 'tenant_not_found', status: 404 });
    expect(h.state()).toBe('failed');
    expect(h.context().failure?.code).toBe('tenant_not_found');
  });
});

describe('connectionMachine: failed', () => {
  it('restarts on a user retry and resumes the unfinished turn', async () => {
    const h = await streamingHarness({ timing: { maxAttempts: 1 } });
    h.lastStream().fail(serverDown);
    h.advance(10_000);
    h.lastStream().fail(serverDown);
    expect(h.state()).toBe('failed');
    h.send({ type: 'RETRY' });
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input).toMatchObject({ turn: hello, lastEventId: '1' });
    expect(h.context().attempts).toBe(0);
  });

  it('treats a new message while failed as a retry', async () => {
    const h = createConnectionHarness();
    h.send({ type: 'START' });
    await h.rejectAuthorization({ kind: 'fatal', code: 'origin_not_allowed', status: 403 });
    h.send({ type: 'SEND', turn: hello });
    expect(h.state()).toBe('authorizing');
    await h.resolveAuthorization();
    expect(h.lastStream().input.turn).toEqual(hello);
  });
});
