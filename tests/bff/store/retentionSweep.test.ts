import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PARTITION } from '../../../src/bff/audit/auditEntry.js';
import { readAuditItems } from '../../../src/bff/audit/auditReader.js';
import { AuditTrail } from '../../../src/bff/audit/auditTrail.js';
import { createRetentionSweep } from '../../../src/bff/store/retentionSweep.js';
import { seedSession } from './support/seedSession.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

const HOUR = 3600 * 1000;

describe('retention sweep on embedded storage', () => {
  let storage: TestStorage;
  const clock = manualClock();
  beforeAll(async () => {
    storage = await startStorage();
  });
  afterAll(async () => storage?.close());

  const count = async (table: string, tenantId: string) =>
    ((await storage.doc.send(new ScanCommand({ TableName: `${storage.prefix}${table}` }))).Items ?? []).filter((item) =>
      String(item.pk).startsWith(tenantId),
    ).length;
  const sweepAt = (now: () => number) =>
    createRetentionSweep({
      doc: storage.doc,
      prefix: storage.prefix,
      clock: now,
      intervalMs: 60_000,
      audit: new AuditTrail({ doc: storage.doc, prefix: storage.prefix, clock: now, ipSalt: 'x'.repeat(32) }),
    });
  const lastSweepEntry = async () => {
    let last: Record<string, unknown> | undefined;
    for await (const item of readAuditItems(storage.doc, storage.prefix, SYSTEM_PARTITION)) if (item.action === 'retention.sweep') last = item;
    return last;
  };

  it('deletes only what has expired: after a day messages and turn events go, summaries and facts stay', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 2, deltas: 2, clock });
    const auditBefore = await count('audit', tenantId);

    const early = await sweepAt(() => clock() + 23 * HOUR).runOnce();
    // One item per turn: its user message and its reply.
    expect(await count('messages', tenantId)).toBe(2);
    expect(early.deleted.messages ?? 0).toBe(0);

    const result = await sweepAt(() => clock() + 25 * HOUR).runOnce();
    expect(await count('messages', tenantId)).toBe(0);
    expect(await count('turn-log', tenantId)).toBe(0);
    expect(await count('summaries', tenantId)).toBe(1);
    expect(await count('facts', tenantId)).toBe(2);
    expect(await count('audit', tenantId)).toBe(auditBefore);
    // Counted as messages, as a clear counts them: two turns of a question and an answer.
    expect(result.deleted.messages).toBe(4);
    // Two turns, each a header and one run of events.
    expect(result.deleted.turnLog).toBeGreaterThanOrEqual(2 * 2);

    await sweepAt(() => clock() + 8 * 24 * HOUR).runOnce();
    expect(await count('summaries', tenantId)).toBe(0);
    expect(await count('facts', tenantId)).toBe(0);
  });

  it('writes one audit entry per run, with counts and nothing else', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 1, clock });
    const result = await sweepAt(() => clock() + 25 * HOUR).runOnce();
    const entry = await lastSweepEntry();
    expect(entry).toMatchObject({ pk: SYSTEM_PARTITION, action: 'retention.sweep', outcome: 'success' });
    expect(entry!.detail).toEqual({ counts: { ...result.deleted, withoutExpiry: result.withoutExpiry } });
    expect(JSON.stringify(entry)).not.toMatch(/question|answer|summary|billing/);
  });

  it('reports items of TTL tables that carry no expiresAt instead of deleting them', async () => {
    const tenantId = freshTenant();
    await storage.doc.send(new PutCommand({ TableName: `${storage.prefix}messages`, Item: { pk: `${tenantId}#s1`, sk: 'x', text: 'no ttl' } }));
    const result = await sweepAt(clock).runOnce();
    expect(result.withoutExpiry).toBeGreaterThanOrEqual(1);
    expect(await count('messages', tenantId)).toBe(1);
  });

  it('runs at start and on its interval until stopped; overlapping runs share one', async () => {
    const sweep = sweepAt(clock);
    const [a, b] = [sweep.runOnce(), sweep.runOnce()];
    expect(a).toBe(b);
    await a;
    const before = await lastSweepEntry();
    sweep.start();
    await sweep.stop();
    const after = await lastSweepEntry();
    expect(Number(after!.seq)).toBe(Number(before!.seq) + 1);
  });
});
