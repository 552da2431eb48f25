import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnerLeases, stopKey } from '../../../src/bff/store/ownerLeases.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

describe('OwnerLeases', () => {
  let storage: TestStorage;
  const clock = manualClock();
  let owners: OwnerLeases;
  beforeAll(async () => {
    storage = await startStorage();
    owners = new OwnerLeases(storage.doc, storage.prefix, clock);
  });
  afterAll(async () => storage?.close());

  it('knows no lease for a process that never renewed one', async () => {
    expect(await owners.leaseUntil(freshTenant(), 'p1')).toBe(0);
  });

  it('keeps a lease per tenant and process, as renewed', async () => {
    const tenant = freshTenant();
    await owners.renew(tenant, 'p1', clock() + 10_000, []);
    expect(await owners.leaseUntil(tenant, 'p1')).toBe(clock() + 10_000);
    expect(await owners.leaseUntil(tenant, 'p2')).toBe(0);
    expect(await owners.leaseUntil(freshTenant(), 'p1')).toBe(0);
  });

  it('hands stop requests to the owner until it says it dealt with them', async () => {
    const tenant = freshTenant();
    await owners.renew(tenant, 'p1', clock() + 10_000, []);
    await owners.requestStop(tenant, 'p1', stopKey('s1', 'm1'));
    await owners.requestStop(tenant, 'p1', stopKey('s2', 'm2'));
    expect((await owners.renew(tenant, 'p1', clock() + 10_000, [])).sort()).toEqual(['s1#m1', 's2#m2']);
    await owners.requestStop(tenant, 'p1', stopKey('s3', 'm3'));
    expect(await owners.renew(tenant, 'p1', clock() + 10_000, ['s1#m1', 's2#m2'])).toEqual(['s3#m3']);
    expect(await owners.renew(tenant, 'p1', clock() + 10_000, ['s3#m3'])).toEqual([]);
  });

  it('does not make a process alive by leaving it a stop request', async () => {
    const tenant = freshTenant();
    await owners.requestStop(tenant, 'gone', stopKey('s1', 'm1'));
    expect(await owners.leaseUntil(tenant, 'gone')).toBe(0);
    await owners.renew(tenant, 'lapsed', clock() - 1, []);
    await owners.requestStop(tenant, 'lapsed', stopKey('s1', 'm1'));
    expect(await owners.leaseUntil(tenant, 'lapsed')).toBe(clock() - 1);
  });
});
