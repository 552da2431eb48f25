import { describe, expect, it } from 'vitest';
import { createConnectionHarness, delta, done } from './support/connectionHarness.js';
import { flush } from './support/deferred.js';

const hello = { messageId: 'm-1', text: 'hello' };
const second = { messageId: 'm-2', text: 'and then?' };

describe('connectionMachine: a turn from start to finish', () => {
  it('waits in idle until started, then authorizes in start mode', () => {
    const h = createConnectionHarness();
    expect(h.state()).toBe('idle');
    h.send({ type: 'START' });
    expect(h.state()).toBe('authorizing');
    expect(h.authorizations[0]?.input).toEqual({ mode: 'start' });
  });

  it('is ready once authorized and opens nothing while no message waits', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    expect(h.state()).toBe('ready');
    expect(h.streams).toHaveLength(0);
  });

  it('opens one stream for a sent message, with no Last-Event-ID on the first try', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    expect(h.state()).toBe('connecting');
    expect(h.streams).toHaveLength(1);
    expect(h.lastStream().input).toEqual({ turn: hello, lastEventId: null, attemptId: 1 });
  });

  it('moves to streaming when the server accepts and announces the opened turn', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    expect(h.state()).toBe('streaming');
    expect(h.emitted).toContainEqual({ type: 'turn.opened', messageId: 'm-1' });
  });

  it('passes deltas on in order and records the last applied id', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    h.lastStream().event(delta('1', 'Hel'));
    h.lastStream().event(delta('2', 'lo'));
    const texts = h.emitted.filter((e) => e.type === 'turn.delta').map((e) => ('text' in e ? e.text : ''));
    expect(texts).toEqual(['Hel', 'lo']);
    expect(h.context().lastEventId).toBe('2');
  });

  it('drops events whose id is not after the last applied one', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    h.lastStream().event(delta('1', 'a'));
    h.lastStream().event(delta('2', 'b'));
    h.lastStream().event(delta('2', 'b'));
    h.lastStream().event(delta('1', 'a'));
    h.lastStream().event(delta('10', 'c'));
    const texts = h.emitted.filter((e) => e.type === 'turn.delta').map((e) => ('text' in e ? e.text : ''));
    expect(texts).toEqual(['a', 'b', 'c']);
    expect(h.context().lastEventId).toBe('10');
    expect(h.state()).toBe('streaming');
  });

  it('finishes the turn on done: back to ready, stream closed, id reset', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    h.lastStream().event(delta('1', 'hi'));
    h.lastStream().event(done('2', 'm-1'));
    expect(h.state()).toBe('ready');
    expect(h.lastStream().stopped).toBe(true);
    expect(h.emitted).toContainEqual({ type: 'turn.done', messageId: 'm-1', stopReason: 'end_turn' });
    expect(h.context()).toMatchObject({ turns: [], lastEventId: null, opened: false, attempts: 0 });
  });

  it('sends queued messages one at a time, each with its own fresh stream', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.send({ type: 'SEND', turn: second });
    expect(h.streams).toHaveLength(1);
    h.lastStream().open();
    h.lastStream().event(delta('5', 'x'));
    h.lastStream().event(done('6', 'm-1'));
    expect(h.state()).toBe('connecting');
    expect(h.streams).toHaveLength(2);
    expect(h.lastStream().input).toEqual({ turn: second, lastEventId: null, attemptId: 2 });
  });

  it('ignores a second send of the same messageId', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.send({ type: 'SEND', turn: hello });
    expect(h.context().turns).toEqual([hello]);
    expect(h.streams).toHaveLength(1);
  });

  it('queues a message sent before authorization and sends it once ready', async () => {
    const h = createConnectionHarness();
    h.send({ type: 'SEND', turn: hello });
    expect(h.state()).toBe('idle');
    await h.authorize();
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input.turn).toEqual(hello);
  });

  it('sends turns left unfinished by an earlier page as soon as it is authorized', async () => {
    const h = createConnectionHarness({ pending: [hello, second] });
    await h.authorize();
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input.turn).toEqual(hello);
  });

  it('asks the server to stop without dropping the stream, which then ends with done', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    h.lastStream().event(delta('1', 'partial'));
    h.send({ type: 'STOP' });
    await flush();
    expect(h.stops).toEqual([{ messageId: 'm-1' }]);
    expect(h.state()).toBe('streaming');
    expect(h.lastStream().stopped).toBe(false);
    h.lastStream().event(done('2', 'm-1', 'stopped'));
    expect(h.emitted).toContainEqual({ type: 'turn.done', messageId: 'm-1', stopReason: 'stopped' });
  });

  it('ends a turn with a fatal HTTP error and goes on with the next one', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.send({ type: 'SEND', turn: second });
    h.lastStream().fail({ kind: 'fatal', code: 'invalid_request', status: 400 });
    expect(h.emitted).toContainEqual({ type: 'turn.failed', messageId: 'm-1', code: 'invalid_request' });
    expect(h.state()).toBe('connecting');
    expect(h.lastStream().input.turn).toEqual(second);
  });

  it('ends a turn on a non-retryable error event from the server', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    h.lastStream().event({ kind: 'error', id: '3', code: 'model_error', retryable: false });
    expect(h.emitted).toContainEqual({ type: 'turn.failed', messageId: 'm-1', code: 'model_error' });
    expect(h.state()).toBe('ready');
  });

  it('resumes after the id of a retryable error event from the server', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    h.lastStream().event(delta('1', 'a'));
    h.lastStream().event({ kind: 'error', id: '2', code: 'throttled', retryable: true });
    expect(h.state()).toBe('reconnecting');
    h.advance(10_000);
    expect(h.lastStream().input).toMatchObject({ turn: hello, lastEventId: '2' });
  });

  it('closes for good on DISPOSE, aborting the open stream', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.lastStream().open();
    h.send({ type: 'DISPOSE' });
    expect(h.state()).toBe('closed');
    expect(h.lastStream().stopped).toBe(true);
    expect(h.actor.getSnapshot().status).toBe('done');
  });

  it('drops every turn on RESET and authorizes a fresh session', async () => {
    const h = createConnectionHarness();
    await h.authorize();
    h.send({ type: 'SEND', turn: hello });
    h.send({ type: 'RESET' });
    expect(h.state()).toBe('authorizing');
    expect(h.context().turns).toEqual([]);
    expect(h.lastStream().stopped).toBe(true);
    await h.resolveAuthorization();
    expect(h.state()).toBe('ready');
  });
});
