import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createChatService } from '../../../src/bff/chat/chatService.js';
import type { TurnEvent } from '../../../src/bff/chat/turnEvent.js';
import type { Tenant } from '../../../src/bff/config/tenant.js';
import { AppError } from '../../../src/bff/errors.js';
import type { ChatModel, ModelEvent, ModelRequest } from '../../../src/bff/model/chatModel.js';
import { createMetrics } from '../../../src/bff/observability/metrics.js';
import type { MessageStore, StoredMessage } from '../../../src/bff/store/messageStore.js';
import type { TurnLog, TurnRef } from '../../../src/bff/store/turnLog.js';
import { collectFeed } from './support/collectFeed.js';

/** In-process stand-ins for the storage ports, recording what reaches them. */
function fakeStores(userWrite: Promise<void>, options: { finishFailures?: number } = {}) {
  const headers = new Set<string>();
  let finishFailures = options.finishFailures ?? 0;
  const appended: TurnEvent[] = [];
  const written: StoredMessage[] = [];
  /** The ending each reply was stored with. */
  const endings: Array<readonly TurnEvent[] | undefined> = [];
  const finished: string[] = [];
  /** The event log each successful finish was given. */
  const finishedLogs: TurnEvent[][] = [];
  const key = (ref: TurnRef) => `${ref.tenantId}#${ref.sessionId}#${ref.messageId}`;
  const turnLog = {
    claim: async (ref: TurnRef) => {
      if (headers.has(key(ref))) throw new Error('claimed twice in this test');
      headers.add(key(ref));
      return 'claimed' as const;
    },
    release: async (ref: TurnRef) => void headers.delete(key(ref)),
    append: async (_ref: TurnRef, events: readonly TurnEvent[]) => void appended.push(...events),
    finish: async (_ref: TurnRef, status: string, events?: readonly TurnEvent[]) => {
      if (finishFailures > 0) {
        finishFailures -= 1;
        throw new AppError('storage_unavailable', 'Storage is unavailable');
      }
      finished.push(status);
      finishedLogs.push([...(events ?? [])]);
    },
    owners: { renew: async () => [], leaseUntil: async () => 0, requestStop: async () => undefined },
  };
  const messages = {
    list: async () => [],
    put: async (_tenantId: string, _sessionId: string, _startedAt: number, message: StoredMessage, ending?: readonly TurnEvent[]) => {
      if (message.role === 'user') await userWrite;
      else endings.push(ending);
      written.push(message);
    },
  };
  return { headers, appended, written, endings, finished, finishedLogs, turnLog: turnLog as unknown as TurnLog, messages: messages as unknown as MessageStore };
}

/** A model that records its calls and streams `chunks` once released, or ends when aborted. */
function gatedModel(chunks: string[]) {
  const calls: ModelRequest[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const model: ChatModel = {
    async *stream(request): AsyncGenerator<ModelEvent> {
      calls.push(request);
      const aborted = new Promise<void>((resolve) => request.signal?.addEventListener('abort', () => resolve()));
      await Promise.race([gate, aborted]);
      if (request.signal?.aborted) return;
      for (const text of chunks) yield { type: 'text', text };
      yield { type: 'stop', reason: 'end_turn' };
    },
    complete: () => Promise.reject(new Error('not used')),
  };
  return { model, calls, release };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tenant: Tenant = { id: 'acme', embedKey: 'pk_acme_0000000000', allowedOrigins: ['https://host.example'], enabled: true } as Tenant;
const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

function service(stores: ReturnType<typeof fakeStores>, model: ChatModel, leaseMs?: number) {
  return createChatService({
    ...(leaseMs === undefined ? {} : { leaseMs }),
    model,
    turnLog: stores.turnLog,
    messages: stores.messages,
    metrics: createMetrics(),
    log: pino({ level: 'silent' }),
    clock: Date.now,
    owner: 'test-process',
    defaultModelId: 'demo',
  });
}

const request = { tenant, sessionId: 's1', messageId: 'm1', text: 'When do you open?', afterSeq: 0 };

describe('chat service: the model starts while the user message is stored', () => {
  it('calls the model before the user message write completes, and opens the stream only once it has', async () => {
    const userWrite = deferred();
    const stores = fakeStores(userWrite.promise);
    const { model, calls, release } = gatedModel(['We open ', 'at 8.']);
    let opened = false;
    const opening = service(stores, model)
      .open(request, new AbortController().signal)
      .then((feed) => {
        opened = true;
        return feed;
      });
    await flush();
    expect(calls).toHaveLength(1);
    expect(opened).toBe(false);
    release();
    await flush();
    // Events wait for the user message: none is stored before it.
    expect(stores.appended).toEqual([]);
    userWrite.resolve();
    const chat = await opening;
    const events = await collectFeed(chat);
    await flush();
    expect(events.map((event) => event.type)).toEqual(['delta', 'delta', 'done']);
    expect(stores.written.map((message) => [message.role, message.text])).toEqual([
      ['user', 'When do you open?'],
      ['assistant', 'We open at 8.'],
    ]);
    expect(stores.finished).toEqual(['complete']);
  });

  it('refuses the turn when the user message cannot be stored: the model is stopped and nothing of the turn is kept', async () => {
    const userWrite = deferred();
    const stores = fakeStores(userWrite.promise);
    const { model, calls } = gatedModel(['never sent']);
    const opening = service(stores, model).open(request, new AbortController().signal);
    await flush();
    expect(calls).toHaveLength(1);
    userWrite.reject(new AppError('storage_unavailable', 'Storage is unavailable'));
    await expect(opening).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(calls[0]!.signal?.aborted).toBe(true);
    expect(stores.appended).toEqual([]);
    expect(stores.written).toEqual([]);
    expect(stores.finished).toEqual([]);
    // The claim is released, so the client's retry of the same messageId starts the turn afresh.
    expect(stores.headers.size).toBe(0);
  });
});

describe('chat service: the end of a reply', () => {
  it('stores the events not yet written, the terminal one too, through the finish alone', async () => {
    const stores = fakeStores(Promise.resolve());
    const { model, release } = gatedModel(['We open ', 'at 8 ', 'on weekdays.']);
    release();
    const events = await collectFeed(await service(stores, model).open(request, new AbortController().signal));
    await flush();
    expect(events.map((event) => event.type)).toEqual(['delta', 'delta', 'delta', 'done']);
    // The first event is written at once; the rest arrive within the write interval and wait.
    expect(stores.appended.map((event) => event.seq)).toEqual([events[0]!.seq]);
    expect(stores.finishedLogs).toEqual([events]);
    // The reply is stored with them, in case this process dies before the finish.
    expect(stores.endings).toEqual([events.slice(1)]);
  });
});

describe('chat service: a turn it could not close in storage', () => {
  it('is closed by this process, as its clients saw it end, once storage answers again', async () => {
    const stores = fakeStores(Promise.resolve(), { finishFailures: 2 });
    const { model, release } = gatedModel(['We open ', 'at 8.']);
    const chat = service(stores, model, 30);
    release();
    const events = await collectFeed(await chat.open(request, new AbortController().signal));
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    expect(stores.finished).toEqual([]);
    // Renewals every 10 ms: the first retry still fails, the second closes the turn.
    await new Promise((resolve) => setTimeout(resolve, 80));
    chat.close();
    expect(stores.finished).toEqual(['complete']);
    // The reply is written at the end and again by each retry, always as the client saw it, and
    // with the events its log does not hold (all but the first, written at once).
    expect(stores.written.filter((message) => message.role === 'assistant').map((message) => message.status)).toEqual(['complete', 'complete', 'complete']);
    expect(stores.endings).toEqual([events.slice(1), events.slice(1), events.slice(1)]);
  });
});
