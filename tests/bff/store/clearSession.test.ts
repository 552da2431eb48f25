import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditItems } from '../../../src/bff/audit/auditReader.js';
import { AuditTrail } from '../../../src/bff/audit/auditTrail.js';
import { isAppError } from '../../../src/bff/errors.js';
import { createLogger } from '../../../src/bff/observability/logger.js';
import { createClearSession, type ClearSessionDeps } from '../../../src/bff/store/clearSession.js';
import { createDynamoClients } from '../../../src/bff/store/dynamoClient.js';
import { MessageStore } from '../../../src/bff/store/messageStore.js';
import { countKeys, createSessionPurge } from '../../../src/bff/store/sessionPurge.js';
import { TurnLog } from '../../../src/bff/store/turnLog.js';
import { seedSession } from './support/seedSession.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

const SALT = 'x'.repeat(32);
const silent = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

describe('clearSession: audited first, then deleted', () => {
  let storage: TestStorage;
  const clock = manualClock();
  beforeAll(async () => {
    storage = await startStorage();
  });
  afterAll(async () => storage?.close());

  const audit = () => new AuditTrail({ doc: storage.doc, prefix: storage.prefix, clock, ipSalt: SALT });
  const purge = () => createSessionPurge({ doc: storage.doc, prefix: storage.prefix, clock });
  const clearWith = (deps: Partial<ClearSessionDeps> = {}) => createClearSession({ purge: purge(), audit: audit(), log: silent, ...deps });
  const entries = async (tenantId: string) => {
    const all: Record<string, unknown>[] = [];
    for await (const item of readAuditItems(storage.doc, storage.prefix, tenantId)) all.push(item);
    return all;
  };
  const request = (tenantId: string) => ({ tenantId, sessionId: 's1', tokenId: 'tok-1', ip: '203.0.113.9', origin: 'https://acme.example' });
  const remaining = async (tenantId: string) => countKeys((await purge().footprint(tenantId, 's1')).keys);

  it('writes a pending entry, deletes, then writes the outcome with counts linked to it', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 3, deltas: 2, clock });
    const result = await clearWith()(request(tenantId));
    expect(result.cleared).toEqual({ messages: 6, summaries: 1, facts: 2 });
    // Per turn: the header and one run of events (the seed does not compact).
    expect(result.turnEvents).toBe(3 * 2);
    const [intent, outcome] = await entries(tenantId);
    expect(intent).toMatchObject({ seq: 1, action: 'state.clear', outcome: 'pending', auditId: result.auditId, sessionId: 's1', tokenId: 'tok-1' });
    expect(outcome).toMatchObject({
      seq: 2,
      outcome: 'success',
      detail: { relatedAuditId: result.auditId, counts: { messages: 6, summaries: 1, facts: 2, turnEvents: 6 } },
    });
    expect(await remaining(tenantId)).toEqual({ messages: 0, summaries: 0, facts: 0, turnEvents: 0 });
  });

  it('is idempotent: a second clear deletes nothing, reports zeros, and is audited too', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 1, clock });
    const clear = clearWith();
    await clear(request(tenantId));
    const again = await clear(request(tenantId));
    expect(again.cleared).toEqual({ messages: 0, summaries: 0, facts: 0 });
    expect((await entries(tenantId)).map((e) => e.outcome)).toEqual(['pending', 'success', 'pending', 'success']);
  });

  it('does not happen when its audit entry cannot be written', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 2, clock });
    const before = await remaining(tenantId);
    const dead = createDynamoClients({ region: 'us-east-1', url: 'http://127.0.0.1:9' });
    const clear = clearWith({ audit: new AuditTrail({ doc: dead.doc, prefix: storage.prefix, clock, ipSalt: SALT }) });
    const error = await clear(request(tenantId)).catch((e: unknown) => e);
    dead.raw.destroy();
    expect(isAppError(error) && error.code).toBe('storage_unavailable');
    expect(await remaining(tenantId)).toEqual(before);
  });

  it('records a failure linked to the intent when the deletes fail, and rejects with storage_unavailable', async () => {
    const tenantId = freshTenant();
    const dead = createDynamoClients({ region: 'us-east-1', url: 'http://127.0.0.1:9' });
    const clear = clearWith({ purge: createSessionPurge({ doc: dead.doc, prefix: storage.prefix, clock }) });
    const error = await clear(request(tenantId)).catch((e: unknown) => e);
    dead.raw.destroy();
    expect(isAppError(error) && error.code).toBe('storage_unavailable');
    const [intent, failure] = await entries(tenantId);
    expect(failure).toMatchObject({ outcome: 'failure', detail: { reason: 'storage_unavailable', relatedAuditId: intent!.auditId } });
  });

  it('stops a generation still running and waits for its last writes before deleting them', async () => {
    const tenantId = freshTenant();
    const ref = { tenantId, sessionId: 's1', messageId: 'live' };
    const turnLog = new TurnLog(storage.doc, storage.prefix, clock);
    const messages = new MessageStore(storage.doc, storage.prefix, clock);
    await turnLog.claim(ref, { textHash: 'h', owner: 'p1', leaseUntil: clock() + 10_000, startedAt: clock() });
    await messages.put(tenantId, 's1', clock(), { messageId: 'live', role: 'user', text: 'q', at: clock() });
    const stopped: string[] = [];
    // What the chat service does on stop: the reply so far is stored, then the turn is closed.
    const stopTurn = async (_t: string, _s: string, messageId: string) => {
      stopped.push(messageId);
      setTimeout(() => {
        void (async () => {
          await turnLog.append(ref, [{ seq: 1, type: 'done', data: { messageId: 'live', stopReason: 'stopped' } }]);
          await messages.put(tenantId, 's1', clock(), { messageId: 'live', role: 'assistant', text: 'partial', at: clock(), status: 'stopped' });
          await turnLog.finish(ref, 'stopped');
        })();
      }, 30);
    };
    const result = await clearWith({ stopTurn, pollMs: 10 })(request(tenantId));
    expect(stopped).toEqual(['live']);
    expect(result.cleared.messages).toBe(2);
    expect(await remaining(tenantId)).toEqual({ messages: 0, summaries: 0, facts: 0, turnEvents: 0 });
  });

  it('waits for pending summary and fact work of the session before looking for what to delete', async () => {
    const order: string[] = [];
    const observed = purge();
    const footprint = observed.footprint;
    observed.footprint = async (tenantId, sessionId) => {
      order.push('footprint');
      return footprint(tenantId, sessionId);
    };
    const memoryIdle = async () => {
      order.push('memory idle');
    };
    await clearWith({ purge: observed, memoryIdle })(request(freshTenant()));
    expect(order).toEqual(['memory idle', 'footprint']);
  });
});
