import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRoot } from 'solid-js';
import type { ServerResponse } from 'node:http';
import { createChatController, type ChatController } from '../../../src/widget/app/chat/createChatController.js';
import type { ToHost } from '../../../src/widget/app/bridge/protocol.js';
import { makeWidgetStore } from '../../../src/widget/app/storage/widgetStore.js';
import { eventually, json, provideBrowserGlobals, sseEvent, sseHead, startServer, type TestServer } from '../support/httpServer.js';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

/** `hash`: the iframe URL's fragment, where the loader puts a session handle. */
function fakeWindow(hash = '') {
  const noop = () => {};
  const location = { hash, pathname: '/widget/', search: '?tenant=pk_acme' };
  return {
    navigator: { onLine: true },
    document: { visibilityState: 'visible', addEventListener: noop, removeEventListener: noop },
    addEventListener: noop,
    removeEventListener: noop,
    location,
    history: { state: null, replaceState: () => void (location.hash = '') },
  } as unknown as Window;
}

const blockedStorage = () => {
  throw new DOMException('blocked', 'SecurityError');
};

interface StubState {
  stored: Array<{ role: string; text: string; at: number; messageId?: string }>;
  cleared: number;
  stateStatus?: number;
  /** Status of POST /v1/sessions/resume (200 by default). */
  resumeStatus?: number;
}

async function stubBff(state: StubState, replies: Record<string, string[]>) {
  return startServer((req, res: ServerResponse, body) => {
    const grant = { sessionId: 's-1', tokens: { stream: { token: 'st', expiresAt: Date.now() + 300_000 }, manage: { token: 'mt', expiresAt: Date.now() + 900_000 } } };
    switch (req.url) {
      case '/v1/sessions/resume':
        if (state.resumeStatus && state.resumeStatus !== 200) return json(res, state.resumeStatus, { error: { code: 'invalid_token', message: 'x' } });
        return json(res, 200, { ...grant, handle: { token: 'resumed.han.dle', expiresAt: Date.now() + 900_000 } });
      case '/v1/sessions/handle':
        return json(res, 200, { handle: { token: `minted.han.dle${req.headers.authorization === 'Bearer mt' ? '' : 'x'}`, expiresAt: Date.now() + 900_000 } });
      case '/v1/sessions':
      case '/v1/sessions/refresh':
        return json(res, req.url === '/v1/sessions' ? 201 : 200, grant);
      case '/v1/state':
        if (state.stateStatus) return json(res, state.stateStatus, { error: { code: 'internal_error', message: 'x' } });
        return json(res, 200, { sessionId: 's-1', messages: state.stored, summary: '', facts: [] });
      case '/v1/state/clear':
        state.cleared += 1;
        return json(res, 200, { cleared: { messages: 2, summaries: 0, facts: 0 }, auditId: 'a-1' });
      case '/v1/chat': {
        const { messageId, text } = JSON.parse(body) as { messageId: string; text: string };
        const parts = replies[text] ?? ['ok'];
        const after = Number(req.headers['last-event-id'] ?? 0);
        sseHead(res);
        parts.forEach((part, i) => {
          if (i + 1 > after) sseEvent(res, i + 1, 'delta', { text: part });
        });
        sseEvent(res, parts.length + 1, 'done', { messageId, stopReason: 'end_turn' });
        res.end();
        return;
      }
      default:
        return json(res, 404, { error: { code: 'not_found', message: 'x' } });
    }
  });
}

let server: TestServer | undefined;
let dispose: (() => void) | undefined;

beforeAll(provideBrowserGlobals);
afterEach(async () => {
  dispose?.();
  await server?.close();
  dispose = undefined;
  server = undefined;
});

function mount(origin: string, storage: MemoryStorage | 'blocked', hash = '') {
  const posted: ToHost[] = [];
  let ids = 0;
  let chat!: ChatController;
  const win = fakeWindow(hash);
  createRoot((disposeRoot) => {
    dispose = disposeRoot;
    chat = createChatController({
      win,
      http: { apiBase: origin, fetch: globalThis.fetch, now: () => Date.now() },
      embedKey: 'pk_acme',
      store: makeWidgetStore(storage === 'blocked' ? blockedStorage : () => storage as unknown as Storage, 'pk_acme'),
      bridge: { post: (message) => posted.push(message), dispose: () => {} },
      newId: () => `m-${++ids}`,
    });
  });
  const view = () => chat.messages.map((m) => [m.role, m.text, m.status]);
  return { chat, posted, view, win };
}

describe('createChatController', () => {
  it('streams a reply into the transcript, announces it once, and tells the host only metadata', async () => {
    const state: StubState = { stored: [], cleared: 0 };
    server = await stubBff(state, { hello: ['Hi ', 'there'] });
    const storage = new MemoryStorage();
    const { chat, posted, view } = mount(server.origin, storage);
    await eventually(() => expect(chat.connection()).toBe('ready'));
    expect(chat.send('  hello  ')).toBe(true);
    expect(chat.send('   ')).toBe(false);
    await eventually(() => expect(view()).toEqual([['user', 'hello', 'complete'], ['assistant', 'Hi there', 'complete']]));
    expect(chat.announcement()).toBe('Hi there');
    expect(posted).toEqual([
      { type: 'message', role: 'user', messageId: 'm-1', status: 'complete' },
      { type: 'message', role: 'assistant', messageId: 'm-1', status: 'complete' },
    ]);
    expect(JSON.stringify(posted)).not.toContain('Hi there');
    expect(storage.items.has('picasso:pending:pk_acme')).toBe(false);
    expect(JSON.parse(storage.items.get('picasso:session:pk_acme') ?? '{}').sessionId).toBe('s-1');
  });

  it('restores the transcript after a reload and resumes the unfinished turn without doubling text', async () => {
    const state: StubState = {
      stored: [
        { role: 'user', text: 'first', at: 1 },
        { role: 'assistant', text: 'answer', at: 2 },
        { role: 'user', text: 'hello', at: 3 },
        { role: 'assistant', text: 'Hi', at: 4 },
      ],
      cleared: 0,
    };
    server = await stubBff(state, { hello: ['Hi ', 'there'] });
    const storage = new MemoryStorage();
    storage.setItem(
      'picasso:session:pk_acme',
      JSON.stringify({ sessionId: 's-1', tokens: { stream: { token: 'old', expiresAt: 0 }, manage: { token: 'old', expiresAt: 0 } } }),
    );
    storage.setItem('picasso:pending:pk_acme', JSON.stringify({ turns: [{ messageId: 'm-9', text: 'hello' }], headReachedServer: true }));
    const { view } = mount(server.origin, storage);
    await eventually(() =>
      expect(view()).toEqual([
        ['user', 'first', 'complete'],
        ['assistant', 'answer', 'complete'],
        ['user', 'hello', 'complete'],
        ['assistant', 'Hi there', 'complete'],
      ]),
    );
    const chats = server.requests.filter((r) => r.url === '/v1/chat');
    expect(chats).toHaveLength(1);
    expect(JSON.parse(chats[0]?.body ?? '{}')).toEqual({ messageId: 'm-9', text: 'hello' });
  });

  it('goes on with an unfinished turn when the server cannot return the history', async () => {
    const state: StubState = { stored: [], cleared: 0, stateStatus: 500 };
    server = await stubBff(state, { hello: ['Hi ', 'there'] });
    const storage = new MemoryStorage();
    storage.setItem(
      'picasso:session:pk_acme',
      JSON.stringify({ sessionId: 's-1', tokens: { stream: { token: 'old', expiresAt: 0 }, manage: { token: 'old', expiresAt: 0 } } }),
    );
    storage.setItem('picasso:pending:pk_acme', JSON.stringify({ turns: [{ messageId: 'm-9', text: 'hello' }], headReachedServer: true }));
    const { view } = mount(server.origin, storage);
    await eventually(() => expect(view()).toEqual([['user', 'hello', 'complete'], ['assistant', 'Hi there', 'complete']]));
    expect(server.requests.filter((r) => r.url === '/v1/state')).toHaveLength(1);
  });

  it('clears the conversation on the server and starts a fresh session', async () => {
    const state: StubState = { stored: [], cleared: 0 };
    server = await stubBff(state, {});
    const storage = new MemoryStorage();
    const { chat, view } = mount(server.origin, storage);
    await eventually(() => expect(chat.connection()).toBe('ready'));
    chat.send('hello');
    await eventually(() => expect(view()).toHaveLength(2));
    expect(await chat.clear()).toEqual({ messages: 2, summaries: 0, facts: 0 });
    expect(state.cleared).toBe(1);
    expect(view()).toEqual([]);
    const clear = server.requests.find((r) => r.url === '/v1/state/clear');
    expect(clear?.headers.authorization).toBe('Bearer mt');
    await eventually(() => expect(server?.requests.filter((r) => r.url === '/v1/sessions')).toHaveLength(2));
    await eventually(() => expect(chat.connection()).toBe('ready'));
  });

  it('without storage of its own, gives the host a session handle after the grant, and the host never sees any text', async () => {
    const state: StubState = { stored: [], cleared: 0 };
    server = await stubBff(state, { hello: ['Hi ', 'there'] });
    const { chat, posted, view } = mount(server.origin, 'blocked');
    await eventually(() => expect(posted).toContainEqual({ type: 'handle', handle: 'minted.han.dle' }));
    expect(server.requests.find((r) => r.url === '/v1/sessions/handle')?.headers.authorization).toBe('Bearer mt');
    chat.send('hello');
    await eventually(() => expect(view()).toEqual([['user', 'hello', 'complete'], ['assistant', 'Hi there', 'complete']]));
    expect(JSON.stringify(posted)).not.toMatch(/hello|Hi there/);
  });

  it('without storage of its own, resumes the session of the handle in the fragment, restores the transcript and the reply still being generated', async () => {
    const state: StubState = {
      stored: [
        { role: 'user', text: 'first', at: 1, messageId: 'm-1' },
        { role: 'assistant', text: 'answer', at: 2, messageId: 'm-1' },
        { role: 'user', text: 'hello', at: 3, messageId: 'm-9' },
      ],
      cleared: 0,
    };
    server = await stubBff(state, { hello: ['Hi ', 'there'] });
    const { posted, view, win } = mount(server.origin, 'blocked', '#handle=old.han.dle');
    await eventually(() =>
      expect(view()).toEqual([
        ['user', 'first', 'complete'],
        ['assistant', 'answer', 'complete'],
        ['user', 'hello', 'complete'],
        ['assistant', 'Hi there', 'complete'],
      ]),
    );
    expect(win.location.hash).toBe('');
    expect(server.requests.find((r) => r.url === '/v1/sessions/resume')?.headers.authorization).toBe('Bearer old.han.dle');
    expect(server.requests.filter((r) => r.url === '/v1/sessions')).toHaveLength(0);
    const chats = server.requests.filter((r) => r.url === '/v1/chat');
    expect(chats.map((r) => JSON.parse(r.body))).toEqual([{ messageId: 'm-9', text: 'hello' }]);
    expect(chats[0]?.headers['last-event-id']).toBeUndefined();
    expect(posted).toContainEqual({ type: 'handle', handle: 'resumed.han.dle' });
  });

  it('without storage of its own, starts afresh when the server refuses the handle', async () => {
    const state: StubState = { stored: [{ role: 'user', text: 'secret', at: 1, messageId: 'm-1' }], cleared: 0, resumeStatus: 401 };
    server = await stubBff(state, {});
    const { chat, posted, view } = mount(server.origin, 'blocked', '#handle=old.han.dle');
    await eventually(() => expect(chat.connection()).toBe('ready'));
    await eventually(() => expect(posted).toContainEqual({ type: 'handle', handle: 'minted.han.dle' }));
    expect(server.requests.filter((r) => r.url === '/v1/sessions')).toHaveLength(1);
    expect(server.requests.filter((r) => r.url === '/v1/state' || r.url === '/v1/chat')).toHaveLength(0);
    expect(view()).toEqual([]);
  });

  it('with storage of its own, ignores a handle in the fragment and gives the host none', async () => {
    const state: StubState = { stored: [], cleared: 0 };
    server = await stubBff(state, {});
    const { chat, posted, win } = mount(server.origin, new MemoryStorage(), '#handle=old.han.dle');
    await eventually(() => expect(chat.connection()).toBe('ready'));
    expect(win.location.hash).toBe('');
    expect(server.requests.map((r) => r.url)).not.toContain('/v1/sessions/resume');
    expect(server.requests.map((r) => r.url)).not.toContain('/v1/sessions/handle');
    expect(posted.filter((m) => m.type === 'handle')).toEqual([]);
  });
});
