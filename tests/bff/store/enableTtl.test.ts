import { describe, expect, it } from 'vitest';
import { enableTtl } from '../../../src/bff/store/enableTtl.js';
import { ALL_TABLES } from '../../../src/bff/store/tables.js';

/**
 * The embedded server has no TTL API, so these run against a stand-in that answers as DynamoDB
 * documents it (DescribeTimeToLive, UpdateTimeToLive, and the ValidationException for a table
 * whose TTL is already on).
 */
function dynamoTtl(initial: Record<string, string>, failUpdate?: (table: string) => Error | undefined) {
  const status = { ...initial };
  const updates: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: { TableName: string } }) => {
      const table = command.input.TableName;
      if (command.constructor.name === 'DescribeTimeToLiveCommand') {
        const current = status[table] ?? 'DISABLED';
        return { TimeToLiveDescription: { TimeToLiveStatus: current, ...(current === 'DISABLED' ? {} : { AttributeName: 'expiresAt' }) } };
      }
      const error = failUpdate?.(table);
      if (error) throw error;
      updates.push(table);
      status[table] = 'ENABLING';
      return {};
    },
  };
  return { client, updates };
}

const ttlTables = ALL_TABLES.filter((t) => t.ttlSeconds !== undefined).map((t) => `p-${t.name}`);

describe('enableTtl', () => {
  it('enables TTL on expiresAt for every table with a retention, and not on the audit table', async () => {
    const { client, updates } = dynamoTtl({});
    expect(await enableTtl(client as never, 'p-')).toEqual(ttlTables);
    expect(updates).toEqual(ttlTables);
    expect(updates).not.toContain('p-audit');
  });

  it('leaves tables already enabled alone, so it can run on every start', async () => {
    const { client, updates } = dynamoTtl(Object.fromEntries(ttlTables.map((t) => [t, 'ENABLED'])));
    expect(await enableTtl(client as never, 'p-')).toEqual([]);
    expect(updates).toEqual([]);
  });

  it('tolerates "already enabled" from a process that got there first, and rethrows anything else', async () => {
    const already = Object.assign(new Error('TimeToLive is already enabled'), { name: 'ValidationException' });
    const { client } = dynamoTtl({}, (table) => (table === ttlTables[0] ? already : undefined));
    expect(await enableTtl(client as never, 'p-')).toEqual(ttlTables.slice(1));
    const denied = Object.assign(new Error('not authorised'), { name: 'AccessDeniedException' });
    const failing = dynamoTtl({}, () => denied);
    await expect(enableTtl(failing.client as never, 'p-')).rejects.toThrow('not authorised');
  });
});
