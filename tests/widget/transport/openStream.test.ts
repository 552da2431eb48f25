import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import type { ConnectionEvent, OpenStreamInput } from '../../../src/machines/connectionTypes.js';
import { createOpenStream } from '../../../src/widget/transport/openStream.js';
import { delay, eventually, json, provideBrowserGlobals, sseEvent, sseHead, startServer, type Handler, type TestServer } from '../support/httpServer.js';

let server: TestServer | undefined;

beforeAll(provideBrowserGlobals);
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const turn = { messageId: 'm-1', text: 'hello' };

/** Runs one openStream attempt under a parent that records what it reports. */
async function attempt(handler: Handler, input: Partial<OpenStreamInput> = {}, token: string | null = 'stream-token') {
  server = await startServer(handler);
  const origin = server.origin;
  const parent = setup({
    types: { context: {} as { events: ConnectionEvent[] }, events: {} as ConnectionEvent | { type: 'END' } },
    actors: { openStream: createOpenStream({ apiBase: origin, fetch: globalThis.fetch, now: () => Date.now(), streamToken: () => token }) },
  }).createMachine({
    context: { events: [] },
    initial: 'open',
    states: {
      open: {
        invoke: { src: 'openStream', input: { turn, lastEventId: null, attemptId: 7, ...input } },
        on: { END: 'ended' },
      },
      ended: {},
    },
    on: { '*': { actions: assign({ events: ({ context, event }) => [...context.events, event as ConnectionEvent] }) } },
  });
  const actor = createActor(parent).start();
  const events = () => actor.getSnapshot().context.events;
  const types = () => events().map((event) => event.type);
  return { actor, events, types, server };
}

describe('openStream against a real HTTP server', () => {
  it('posts the turn with the stream token and no Last-Event-ID on a first try', async () => {
    const run = await attempt((_req, res) => {
      sseHead(res);
      res.end();
    });
    await eventually(() => expect(run.server.requests).toHaveLength(1));
    const request = run.server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/chat');
    expect(request.headers.authorization).toBe('Bearer stream-token');
    expect(request.headers.accept).toBe('text/event-stream');
    expect(request.headers['last-event-id']).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ messageId: 'm-1', text: 'hello' });
  });

  it('resumes with Last-Event-ID set to the last applied id', async () => {
    const run = await attempt(
      (_req, res) => {
        sseHead(res);
        res.end();
      },
      { lastEventId: '41' },
    );
    await eventually(() => expect(run.server.requests).toHaveLength(1));
    expect(run.server.requests[0]?.headers['last-event-id']).toBe('41');
  });

  it('reports open, each event with its id, and byte activity, all tagged with the attempt id', async () => {
    const run = await attempt((_req, res) => {
      sseHead(res);
      sseEvent(res, 1, 'delta', { text: 'Hel' });
      sseEvent(res, 2, 'delta', { text: 'lo' });
      sseEvent(res, 3, 'done', { messageId: 'm-1', stopReason: 'end_turn' });
    });
    await eventually(() => expect(run.types().filter((t) => t === 'STREAM.EVENT')).toHaveLength(3));
    expect(run.types()[0]).toBe('STREAM.OPEN');
    expect(run.types()).toContain('STREAM.ACTIVITY');
    const streamEvents = run.events().filter((e) => e.type === 'STREAM.EVENT');
    expect(streamEvents.map((e) => ('event' in e ? e.event : null))).toEqual([
      { kind: 'delta', id: '1', text: 'Hel' },
      { kind: 'delta', id: '2', text: 'lo' },
      { kind: 'done', id: '3', messageId: 'm-1', stopReason: 'end_turn' },
    ]);
    expect(run.events().every((e) => 'attemptId' in e && e.attemptId === 7)).toBe(true);
  });

  it('sees comment heartbeats as activity though they carry no event', async () => {
    const run = await attempt(async (_req, res) => {
      sseHead(res);
      await delay(20);
      res.write(': ping\n\n');
      await delay(20);
      res.write(': ping\n');
    });
    await eventually(() => expect(run.types().filter((t) => t === 'STREAM.ACTIVITY').length).toBeGreaterThanOrEqual(2));
    expect(run.types()).not.toContain('STREAM.EVENT');
  });

  it('reports a 503 with its Retry-After as a retryable failure', async () => {
    const run = await attempt((_req, res) =>
      json(res, 503, { error: { code: 'storage_unavailable', message: 'x' } }, { 'retry-after': '2' }),
    );
    await eventually(() => expect(run.types()).toContain('STREAM.FAILURE'));
    const failure = run.events().find((e) => e.type === 'STREAM.FAILURE');
    expect(failure).toMatchObject({ failure: { kind: 'retryable', code: 'storage_unavailable', status: 503, retryAfterMs: 2_000 } });
    expect(run.types()).not.toContain('STREAM.OPEN');
  });

  it('reports a 401 as an auth failure', async () => {
    const run = await attempt((_req, res) => json(res, 401, { error: { code: 'token_expired', message: 'x' } }));
    await eventually(() => expect(run.types()).toContain('STREAM.FAILURE'));
    expect(run.events().find((e) => e.type === 'STREAM.FAILURE')).toMatchObject({ failure: { kind: 'auth', status: 401 } });
  });

  it('does not take a 200 that is not an event stream for the BFF', async () => {
    const run = await attempt((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>captive portal</html>');
    });
    await eventually(() => expect(run.types()).toContain('STREAM.FAILURE'));
    expect(run.events().find((e) => e.type === 'STREAM.FAILURE')).toMatchObject({
      failure: { kind: 'retryable', code: 'unexpected_content_type' },
    });
  });

  it('reports a stream that ends without done as closed, to be resumed', async () => {
    const run = await attempt((_req, res) => {
      sseHead(res);
      sseEvent(res, 1, 'delta', { text: 'partial' });
      res.end();
    });
    await eventually(() => expect(run.types()).toContain('STREAM.FAILURE'));
    expect(run.events().find((e) => e.type === 'STREAM.FAILURE')).toMatchObject({
      failure: { kind: 'retryable', code: 'stream_closed' },
    });
  });

  it('reports a dropped connection as a network failure', async () => {
    const run = await attempt((_req, res) => {
      sseHead(res);
      sseEvent(res, 1, 'delta', { text: 'partial' });
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await eventually(() => expect(run.types()).toContain('STREAM.FAILURE'));
    expect(run.events().find((e) => e.type === 'STREAM.FAILURE')).toMatchObject({ failure: { kind: 'network' } });
  });

  it('aborts the request when the machine stops it and reports nothing afterwards', async () => {
    let closed = false;
    const run = await attempt(async (req, res) => {
      req.socket.on('close', () => {
        closed = true;
      });
      sseHead(res);
      sseEvent(res, 1, 'delta', { text: 'a' });
      await delay(100);
      if (!res.destroyed) sseEvent(res, 2, 'delta', { text: 'b' });
    });
    await eventually(() => expect(run.types()).toContain('STREAM.EVENT'));
    run.actor.send({ type: 'END' });
    const count = run.events().length;
    await eventually(() => expect(closed).toBe(true));
    await delay(150);
    expect(run.events()).toHaveLength(count);
    expect(run.types()).not.toContain('STREAM.FAILURE');
  });
});
