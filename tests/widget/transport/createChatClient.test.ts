import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { connectionStateName } from '../../../src/machines/connectionMachine.js';
import type { Session } from '../../../src/machines/sessionMachine.js';
import { createChatClient, type ChatClient } from '../../../src/widget/transport/createChatClient.js';
import { eventually, json, provideBrowserGlobals, sseEvent, sseHead, startServer, type TestServer } from '../support/httpServer.js';

const reply = ['Hel', 'lo, ', 'how can ', 'I help?'];

interface StubOptions {
  /** Per chat request (0-based): cut the connection after this many events. */
  dropAfter?: Array<number | undefined>;
  /** Per chat request: answer 401 instead of streaming. */
  unauthorized?: boolean[];
  /** Replay from this many events before the requested id, to prove the client drops duplicates. */
  overlap?: number;
  refreshStatus?: number;
}

/** A stand-in BFF speaking the chat contract, enough for the client's real HTTP path. */
async function stubBff(options: StubOptions = {}) {
  let chats = 0;
  let minted = 0;
  let refreshed = 0;
  const server = await startServer((req, res, body) => {
    const url = req.url ?? '';
    const grant = (id: string, round: number) => ({
      sessionId: id,
      tokens: {
        stream: { token: `${id}-stream-${round}`, expiresAt: Date.now() + 300_000 },
        manage: { token: `${id}-manage-${round}`, expiresAt: Date.now() + 900_000 },
      },
    });
    if (url === '/healthz') return json(res, 200, { ok: true });
    if (url === '/v1/sessions') {
      minted += 1;
      return json(res, 201, grant(`s-${minted}`, 0));
    }
    if (url === '/v1/sessions/refresh') {
      refreshed += 1;
      if (options.refreshStatus) return json(res, options.refreshStatus, { error: { code: 'token_invalid', message: 'x' } });
      const id = String(req.headers.authorization).replace(/^Bearer (.*)-manage-\d+$/, '$1');
      return json(res, 200, grant(id, refreshed));
    }
    if (url === '/v1/chat') {
      const index = chats;
      chats += 1;
      if (options.unauthorized?.[index]) return json(res, 401, { error: { code: 'token_expired', message: 'x' } });
      const { messageId } = JSON.parse(body) as { messageId: string };
      const after = Number(req.headers['last-event-id'] ?? 0);
      const from = Math.max(0, after - (options.overlap ?? 0));
      streamReply(res, messageId, from, options.dropAfter?.[index]);
      return;
    }
    json(res, 404, { error: { code: 'not_found', message: 'x' } });
  });
  return { server, chats: () => chats, minted: () => minted, refreshed: () => refreshed };
}

function streamReply(res: ServerResponse, messageId: string, from: number, dropAfter: number | undefined) {
  sseHead(res);
  const events: Array<[string, unknown]> = [...reply.map((text) => ['delta', { text }] as [string, unknown]), ['done', { messageId, stopReason: 'end_turn' }]];
  let sent = 0;
  for (let i = from; i < events.length; i += 1) {
    if (dropAfter !== undefined && sent === dropAfter) {
      // Let what was written reach the client before the connection dies.
      setTimeout(() => res.socket?.destroy(), 30);
      return;
    }
    const [event, data] = events[i]!;
    sseEvent(res, i + 1, event, data);
    sent += 1;
  }
  res.end();
}

let server: TestServer | undefined;
let client: ChatClient | undefined;

beforeAll(provideBrowserGlobals);
afterEach(async () => {
  client?.connection.stop();
  client?.session.stop();
  await server?.close();
  client = undefined;
  server = undefined;
});

function start(origin: string, stored: Session | null = null) {
  const persisted: Session[] = [];
  const authorized: boolean[] = [];
  let text = '';
  const done: string[] = [];
  client = createChatClient({
    http: { apiBase: origin, fetch: globalThis.fetch, now: () => Date.now() },
    embedKey: 'pk_acme_demo_7f3c9a',
    storedSession: stored,
    pending: [],
    persistSession: (session) => persisted.push(session),
    forgetSession: () => {},
    onAuthorized: async (_session, restored) => {
      authorized.push(restored);
    },
    timing: { backoff: { baseMs: 5, capMs: 20 } },
  });
  client.connection.on('turn.delta', (event) => {
    text += event.text;
  });
  client.connection.on('turn.done', (event) => done.push(event.messageId));
  client.session.start();
  client.connection.start();
  client.connection.send({ type: 'START' });
  const c = client;
  return {
    client: c,
    persisted,
    authorized,
    done,
    text: () => text,
    state: () => connectionStateName(c.connection.getSnapshot()),
    send: () => c.connection.send({ type: 'SEND', turn: { messageId: 'm-1', text: 'hello' } }),
  };
}

describe('createChatClient against a stub BFF over real HTTP', () => {
  it('mints a session, stores it, and streams a whole reply', async () => {
    const bff = await stubBff();
    server = bff.server;
    const run = start(bff.server.origin);
    await eventually(() => expect(run.state()).toBe('ready'));
    expect(JSON.parse(bff.server.requests[0]?.body ?? '')).toEqual({ tenant: 'pk_acme_demo_7f3c9a' });
    expect(run.persisted[0]?.sessionId).toBe('s-1');
    expect(run.authorized).toEqual([false]);
    run.send();
    await eventually(() => expect(run.done).toEqual(['m-1']));
    expect(run.text()).toBe(reply.join(''));
    expect(run.state()).toBe('ready');
    const chat = bff.server.requests.find((r) => r.url === '/v1/chat');
    expect(chat?.headers.authorization).toBe('Bearer s-1-stream-0');
  });

  it('resumes a dropped stream with Last-Event-ID and shows no character twice', async () => {
    const bff = await stubBff({ dropAfter: [2, 2], overlap: 1 });
    server = bff.server;
    const run = start(bff.server.origin);
    run.send();
    await eventually(() => expect(run.done).toEqual(['m-1']));
    expect(run.text()).toBe(reply.join(''));
    const chats = bff.server.requests.filter((r) => r.url === '/v1/chat');
    expect(chats.map((r) => r.headers['last-event-id'])).toEqual([undefined, '2', '3']);
    expect(new Set(chats.map((r) => r.body)).size).toBe(1);
  });

  it('refreshes tokens once on a 401 and retries with the new stream token', async () => {
    const bff = await stubBff({ unauthorized: [true] });
    server = bff.server;
    const run = start(bff.server.origin);
    run.send();
    await eventually(() => expect(run.done).toEqual(['m-1']));
    const refresh = bff.server.requests.find((r) => r.url === '/v1/sessions/refresh');
    expect(refresh?.headers.authorization).toBe('Bearer s-1-manage-0');
    const chats = bff.server.requests.filter((r) => r.url === '/v1/chat');
    expect(chats.map((r) => r.headers.authorization)).toEqual(['Bearer s-1-stream-0', 'Bearer s-1-stream-1']);
  });

  it('refreshes a stored session instead of minting one, and reports it restored', async () => {
    const bff = await stubBff();
    server = bff.server;
    const stored: Session = {
      sessionId: 's-9',
      tokens: { stream: { token: 's-9-stream-0', expiresAt: 0 }, manage: { token: 's-9-manage-0', expiresAt: 0 } },
    };
    const run = start(bff.server.origin, stored);
    await eventually(() => expect(run.state()).toBe('ready'));
    expect(bff.minted()).toBe(0);
    expect(run.authorized).toEqual([true]);
    expect(run.persisted[0]?.tokens.stream.token).toBe('s-9-stream-1');
  });

  it('mints a new session when the stored one is refused', async () => {
    const bff = await stubBff({ refreshStatus: 401 });
    server = bff.server;
    const stored: Session = {
      sessionId: 's-9',
      tokens: { stream: { token: 'x', expiresAt: 0 }, manage: { token: 's-9-manage-0', expiresAt: 0 } },
    };
    const run = start(bff.server.origin, stored);
    await eventually(() => expect(run.state()).toBe('ready'));
    expect(bff.minted()).toBe(1);
    expect(run.authorized).toEqual([false]);
  });
});
