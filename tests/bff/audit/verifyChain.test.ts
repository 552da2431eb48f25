import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash } from '../../../src/bff/audit/auditChain.js';
import { readAuditItems } from '../../../src/bff/audit/auditReader.js';
import { AuditTrail } from '../../../src/bff/audit/auditTrail.js';
import { verifyChain } from '../../../src/bff/audit/verifyChain.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from '../store/support/storage.js';

describe('verifyChain over a stored chain', () => {
  let storage: TestStorage;
  let table: string;
  const clock = manualClock();

  beforeAll(async () => {
    storage = await startStorage();
    table = `${storage.prefix}audit`;
  });
  afterAll(async () => storage?.close());

  async function chainOf(length: number): Promise<string> {
    const tenantId = freshTenant();
    const audit = new AuditTrail({ doc: storage.doc, prefix: storage.prefix, clock, ipSalt: 'x'.repeat(32) });
    for (let i = 0; i < length; i++) {
      await audit.record({ action: 'session.mint', outcome: 'success', tenantId, sessionId: `s-${i}` });
      clock.advance(1000);
    }
    return tenantId;
  }
  const verify = (tenantId: string, anchor?: { seq: number; hash: string }) =>
    verifyChain(tenantId, readAuditItems(storage.doc, storage.prefix, tenantId), anchor ? { anchor } : {});
  const get = async (pk: string, seq: number) =>
    (await storage.doc.send(new GetCommand({ TableName: table, Key: { pk, seq } }))).Item as Record<string, unknown>;

  it('accepts an intact chain and reports its head', async () => {
    const tenantId = await chainOf(5);
    const head = await get(tenantId, 5);
    expect(await verify(tenantId)).toEqual({ ok: true, entries: 5, head: { seq: 5, hash: head.hash } });
  });

  it('names an edited entry', async () => {
    const tenantId = await chainOf(5);
    await storage.doc.send(
      new UpdateCommand({ TableName: table, Key: { pk: tenantId, seq: 3 }, UpdateExpression: 'SET outcome = :o', ExpressionAttributeValues: { ':o': 'denied' } }),
    );
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: 3, entries: 2, problem: expect.stringContaining('hash') });
  });

  it('catches an edit whose hash was recomputed at the next entry, which no longer links', async () => {
    const tenantId = await chainOf(5);
    const edited = { ...(await get(tenantId, 3)), sessionId: 'someone-else' };
    await storage.doc.send(new PutCommand({ TableName: table, Item: { ...edited, hash: entryHash(edited) } }));
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: 4, problem: expect.stringContaining('link') });
  });

  it('catches an attribute added to a stored entry', async () => {
    const tenantId = await chainOf(3);
    await storage.doc.send(
      new UpdateCommand({ TableName: table, Key: { pk: tenantId, seq: 2 }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'x' } }),
    );
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('names a deleted entry', async () => {
    const tenantId = await chainOf(5);
    await storage.doc.send(new DeleteCommand({ TableName: table, Key: { pk: tenantId, seq: 2 } }));
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: 2, entries: 1, problem: expect.stringContaining('missing') });
  });

  it('names the first position of two reordered entries', async () => {
    const tenantId = await chainOf(5);
    const [second, third] = [await get(tenantId, 2), await get(tenantId, 3)];
    await storage.doc.send(new PutCommand({ TableName: table, Item: { ...third, seq: 2 } }));
    await storage.doc.send(new PutCommand({ TableName: table, Item: { ...second, seq: 3 } }));
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('catches entries deleted from the end when given an anchor from an earlier verify', async () => {
    const tenantId = await chainOf(4);
    const earlier = await verify(tenantId);
    if (!earlier.ok || !earlier.head) throw new Error('expected an intact chain');
    await storage.doc.send(new DeleteCommand({ TableName: table, Key: { pk: tenantId, seq: 4 } }));
    expect(await verify(tenantId)).toMatchObject({ ok: true, entries: 3 });
    expect(await verify(tenantId, earlier.head)).toMatchObject({ ok: false, brokenAt: 4, problem: expect.stringContaining('anchor') });
  });

  it('treats an empty chain as intact', async () => {
    expect(await verify(freshTenant())).toEqual({ ok: true, entries: 0 });
  });
});
