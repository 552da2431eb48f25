import { describe, expect, it } from 'vitest';
import { createConnectionHarness, delta, networkDown } from './support/connectionHarness.js';

const hello = { messageId: 'm-1', text: 'hello' };

async function streamingHarness(input: Parameters<typeof createConnectionHarness>[0] = {}) {
  const h = createConnectionHarness(input);
  await h.authorize();
  h.send({ type: 'SEND', turn: hello });
  h.lastStream().open();
  h.lastStream().event(delta('1', 'Hel'));
  return h;
}

describe('connectionMachine: offline', () => {
  it('goes offline when the browser reports it, aborting the stream, and probes', async () => {
    const h = await streamingHarness();
    h.send({ type: 'NETWORK.OFFLINE' });
    expect(h.state()).toBe('offline');
    expect(h.lastStream().stopped).toBe(true);
    expect(h.probes).toHaveLength(1);
  });

  it('does not trust the online event alone: it resumes only after a successful probe', async () => {
    const h = await streamingHarness();
    h.send({ type: 'NETWORK.OFFLINE' });
    await h.rejectProbe();
    h.send({ type: 'NETWORK.ONLINE' });
    expect(h.state()).toBe('offline');
    expect(h.probes).toHaveLength(2);
    await h.resolveProbe();
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input).toMatchObject({ turn: hello, lastEventId: '1' });
  });

  it('probes again on a growing, capped schedule while the network stays down', async () => {
    const h = createConnectionHarness({ random: () => 0 });
    await h.authorize();
    h.send({ type: 'NETWORK.OFFLINE' });
    // Half of min(cap 1 s, 500 ms * 2^n) with a zero jitter pick.
    const waits = [250, 500, 500, 500, 500];
    for (const wait of waits) {
      const before = h.probes.length;
      await h.rejectProbe();
      h.advance(wait - 1);
      expect(h.probes).toHaveLength(before);
      h.advance(1);
      expect(h.probes).toHaveLength(before + 1);
    }
  });

  it('returns to ready after a good probe when nothing waits to be sent', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'NETWORK.OFFLINE' });
    await h.resolveProbe();
    expect(h.state()).toBe('ready');
    expect(h.context().online).toBe(true);
  });

  it('keeps a message sent while offline and sends it exactly once when back', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'NETWORK.OFFLINE' });
    h.send({ type: 'SEND', turn: hello });
    h.send({ type: 'SEND', turn: hello });
    expect(h.state()).toBe('offline');
    expect(h.streams).toHaveLength(0);
    await h.resolveProbe();
    expect(h.streams).toHaveLength(1);
    expect(h.lastStream().input.turn).toEqual(hello);
  });

  it('goes offline without spending a try when a request fails while the browser is offline', async () => {
    const h = await streamingHarness();
    h.actor.send({ type: 'NETWORK.OFFLINE' });
    await h.resolveProbe();
    h.send({ type: 'NETWORK.OFFLINE' });
    expect(h.context().attempts).toBe(0);
  });

  it('waits for the network instead of failing when network errors use up the tries', async () => {
    const h = await streamingHarness({ timing: { maxAttempts: 2 } });
    h.lastStream().fail(networkDown);
    h.advance(10_000);
    h.lastStream().fail(networkDown);
    h.advance(10_000);
    h.lastStream().fail(networkDown);
    expect(h.state()).toBe('offline');
    await h.rejectProbe();
    expect(h.context().attempts).toBe(0);
    h.advance(10_000);
    await h.resolveProbe();
    expect(h.state()).toBe('connecting');
  });

  it('fails when the server is reachable yet every stream try broke', async () => {
    const h = await streamingHarness({ timing: { maxAttempts: 1 } });
    h.lastStream().fail(networkDown);
    h.advance(10_000);
    h.lastStream().fail(networkDown);
    expect(h.state()).toBe('offline');
    await h.resolveProbe();
    expect(h.state()).toBe('failed');
  });

  it('authorizes after a good probe if it never got a session', async () => {
    const h = createConnectionHarness({ online: false });
    h.send({ type: 'START' });
    await h.rejectAuthorization(networkDown);
    expect(h.state()).toBe('offline');
    await h.resolveProbe();
    expect(h.state()).toBe('authorizing');
  });

  it('leaves reconnecting for offline when the browser loses the network', async () => {
    const h = await streamingHarness();
    h.lastStream().fail(networkDown);
    h.send({ type: 'NETWORK.OFFLINE' });
    expect(h.state()).toBe('offline');
  });
});

describe('connectionMachine: suspended', () => {
  it('suspends while the page is hidden and nothing streams, and is ready when visible', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'PAGE.HIDDEN' });
    expect(h.state()).toBe('suspended');
    h.send({ type: 'PAGE.VISIBLE' });
    expect(h.state()).toBe('ready');
  });

  it('keeps streaming in a hidden page as long as the connection lives', async () => {
    const h = await streamingHarness();
    h.send({ type: 'PAGE.HIDDEN' });
    expect(h.state()).toBe('streaming');
    h.lastStream().event(delta('2', 'lo'));
    expect(h.emitted.filter((e) => e.type === 'turn.delta')).toHaveLength(2);
  });

  it('suspends instead of retrying when the stream drops in a hidden page', async () => {
    const h = await streamingHarness();
    h.send({ type: 'PAGE.HIDDEN' });
    h.lastStream().fail(networkDown);
    expect(h.state()).toBe('suspended');
    h.advance(60_000);
    expect(h.streams).toHaveLength(1);
  });

  it('resumes an unfinished turn at once when the page is visible again', async () => {
    const h = await streamingHarness();
    h.send({ type: 'PAGE.HIDDEN' });
    h.lastStream().fail(networkDown);
    h.send({ type: 'PAGE.VISIBLE' });
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input).toMatchObject({ turn: hello, lastEventId: '1' });
  });

  it('suspends a frozen page even mid-stream', async () => {
    const h = await streamingHarness();
    h.send({ type: 'PAGE.FROZEN' });
    expect(h.state()).toBe('suspended');
    expect(h.lastStream().stopped).toBe(true);
  });

  it('stops retrying in the background: a hidden page leaves reconnecting for suspended', async () => {
    const h = await streamingHarness();
    h.lastStream().fail(networkDown);
    h.send({ type: 'PAGE.HIDDEN' });
    expect(h.state()).toBe('suspended');
  });

  it('stops probing in the background: a hidden page leaves offline for suspended', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'NETWORK.OFFLINE' });
    h.send({ type: 'PAGE.HIDDEN' });
    expect(h.state()).toBe('suspended');
  });

  it('authorizes on return if the page was hidden before it ever got a session', async () => {
    const h = createConnectionHarness({ hidden: true });
    h.send({ type: 'START' });
    await h.rejectAuthorization(networkDown);
    expect(h.state()).toBe('suspended');
    h.send({ type: 'PAGE.VISIBLE' });
    expect(h.state()).toBe('authorizing');
  });
});
