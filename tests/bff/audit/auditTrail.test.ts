import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, InvalidAuditEntry, SYSTEM_PARTITION, type AuditEvent } from '../../../src/bff/audit/auditEntry.js';
import { entryHash } from '../../../src/bff/audit/auditChain.js';
import { readAuditItems } from '../../../src/bff/audit/auditReader.js';
import { AuditTrail } from '../../../src/bff/audit/auditTrail.js';
import { hashIp } from '../../../src/bff/audit/ipHash.js';
import { verifyChain } from '../../../src/bff/audit/verifyChain.js';
import { createDynamoClients } from '../../../src/bff/store/dynamoClient.js';
import { isAppError } from '../../../src/bff/errors.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from '../store/support/storage.js';

const SALT = 'a-test-salt-of-at-least-32-characters';

describe('AuditTrail on embedded DynamoDB', () => {
  let storage: TestStorage;
  const clock = manualClock();
  const trail = () => new AuditTrail({ doc: storage.doc, prefix: storage.prefix, clock, ipSalt: SALT });
  const items = async (partition: string) => {
    const all: Record<string, unknown>[] = [];
    for await (const item of readAuditItems(storage.doc, storage.prefix, partition)) all.push(item);
    return all;
  };

  beforeAll(async () => {
    storage = await startStorage();
  });
  afterAll(async () => storage?.close());

  it('chains entries per tenant: seq 1, 2, 3, each prevHash the hash of its predecessor', async () => {
    const tenantId = freshTenant();
    const audit = trail();
    const receipts = [];
    for (const outcome of ['pending', 'success', 'failure'] as const) {
      receipts.push(await audit.record({ action: 'state.clear', outcome, tenantId, sessionId: 'session-1' }));
      clock.advance(1000);
    }
    const stored = await items(tenantId);
    expect(stored.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(stored[0]!.prevHash).toBe(GENESIS_HASH);
    expect(stored[1]!.prevHash).toBe(stored[0]!.hash);
    expect(stored[2]!.prevHash).toBe(stored[1]!.hash);
    for (const item of stored) expect(entryHash(item)).toBe(item.hash);
    expect(receipts.map((r) => r.auditId)).toEqual(stored.map((item) => item.auditId));
    expect(stored[0]!.at).toBe(new Date(Date.UTC(2030, 0, 1)).toISOString());
  });

  it('stores an HMAC of the client address, never the address', async () => {
    const tenantId = freshTenant();
    await trail().record({ action: 'session.mint', outcome: 'success', tenantId, ip: '198.51.100.23', origin: 'https://acme.example' });
    const [item] = await items(tenantId);
    expect(item!.ipHash).toBe(hashIp(SALT, '198.51.100.23'));
    expect(JSON.stringify(item)).not.toContain('198.51.100.23');
    expect(item!.origin).toBe('https://acme.example');
  });

  it('refuses an entry with fields outside the shape, free-text reasons or malformed ids, and writes nothing', async () => {
    const tenantId = freshTenant();
    const audit = trail();
    const bad: unknown[] = [
      { action: 'state.clear', outcome: 'success', tenantId, text: 'my name is Jane Doe' },
      { action: 'state.clear', outcome: 'success', tenantId, detail: { message: 'call me at 555-0100' } },
      { action: 'auth.failure', outcome: 'denied', tenantId, detail: { reason: 'Jane Doe typed a bad token' } },
      { action: 'auth.failure', outcome: 'denied', tenantId, tokenId: 'eyJhbGciOi.eyJzdWIiOi.sig' },
      { action: 'auth.failure', outcome: 'denied', tenantId: 'Jane Doe' },
      { action: 'chat.message', outcome: 'success', tenantId },
      { action: 'state.clear', outcome: 'success', tenantId, origin: 'https://acme.example/path?q=1' },
    ];
    for (const entry of bad) await expect(audit.record(entry as AuditEvent)).rejects.toBeInstanceOf(InvalidAuditEntry);
    expect(await items(tenantId)).toEqual([]);
  });

  it('puts events without a tenant in the _system chain', async () => {
    const before = (await items(SYSTEM_PARTITION)).length;
    const receipt = await trail().record({ action: 'auth.failure', outcome: 'denied', detail: { reason: 'malformed' } });
    expect(receipt.partition).toBe(SYSTEM_PARTITION);
    const after = await items(SYSTEM_PARTITION);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.tenantId).toBeUndefined();
  });

  it('keeps one unforked chain when two writers (two processes) append at the same time', async () => {
    const tenantId = freshTenant();
    const [a, b] = [trail(), trail()];
    const burst = (audit: AuditTrail, count: number) =>
      Array.from({ length: count }, () => audit.record({ action: 'session.mint', outcome: 'success', tenantId }));
    const receipts = await Promise.all([...burst(a, 20), ...burst(b, 20)]);
    const stored = await items(tenantId);
    expect(stored.map((item) => item.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(receipts.map((r) => r.auditId)).size).toBe(40);
    expect(new Set(stored.map((item) => item.auditId))).toEqual(new Set(receipts.map((r) => r.auditId)));
    const verdict = await verifyChain(tenantId, readAuditItems(storage.doc, storage.prefix, tenantId));
    expect(verdict).toMatchObject({ ok: true, entries: 40 });
  });

  it('links after entries another process wrote since this one last appended', async () => {
    const tenantId = freshTenant();
    const [a, b] = [trail(), trail()];
    await a.record({ action: 'session.mint', outcome: 'success', tenantId });
    await b.record({ action: 'session.mint', outcome: 'success', tenantId });
    await b.record({ action: 'session.mint', outcome: 'success', tenantId });
    const receipt = await a.record({ action: 'state.clear', outcome: 'pending', tenantId });
    expect(receipt.seq).toBe(4);
    expect(await a.head(tenantId)).toMatchObject({ seq: 4, hash: receipt.hash });
    expect(await verifyChain(tenantId, readAuditItems(storage.doc, storage.prefix, tenantId))).toMatchObject({ ok: true, entries: 4 });
  });

  it('settles once every entry it began to record, awaited or not, is written', async () => {
    const [a, b] = [freshTenant(), freshTenant()];
    const audit = trail();
    for (let i = 0; i < 5; i++) {
      void audit.record({ action: 'auth.failure', outcome: 'denied', tenantId: a, detail: { reason: 'expired' } });
      void audit.record({ action: 'session.mint', outcome: 'success', tenantId: b, sessionId: `session-${i}` });
    }
    await audit.settled();
    expect((await items(a)).map((item) => item.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await items(b)).map((item) => item.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('finds the head with one descending query of one item', async () => {
    const tenantId = freshTenant();
    const audit = trail();
    for (let i = 0; i < 5; i++) await audit.record({ action: 'session.mint', outcome: 'success', tenantId });
    const page = await storage.doc.send(
      new QueryCommand({
        TableName: `${storage.prefix}audit`,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tenantId },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    expect(await trail().head(tenantId)).toMatchObject({ seq: 5, hash: page.Items![0]!.hash });
  });

  it('fails with storage_unavailable when storage cannot be reached', async () => {
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url: 'http://127.0.0.1:9' });
    const audit = new AuditTrail({ doc, prefix: storage.prefix, clock, ipSalt: SALT });
    const error = await audit.record({ action: 'state.clear', outcome: 'pending', tenantId: freshTenant() }).catch((e: unknown) => e);
    raw.destroy();
    expect(isAppError(error) && error.code).toBe('storage_unavailable');
  });
});
