import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logicalId, renderTemplate } from '../../../src/bff/store/cloudformation.js';
import { ALL_TABLES } from '../../../src/bff/store/tables.js';

const COMMITTED = readFileSync(path.resolve(import.meta.dirname, '../../../deploy/cloudformation.yaml'), 'utf8');

interface TableResource {
  Type: string;
  DeletionPolicy: string;
  Properties: {
    TableName: { 'Fn::Sub': string };
    BillingMode: string;
    AttributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
    KeySchema: Array<{ AttributeName: string; KeyType: string }>;
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: boolean };
    SSESpecification: { SSEEnabled: boolean; SSEType: string };
    DeletionProtectionEnabled: boolean;
  };
}

/** The committed file is JSON after its comment lines, and JSON is YAML 1.2. */
function parseCommitted(): { Parameters: Record<string, { Default?: string }>; Resources: Record<string, TableResource> } {
  const body = COMMITTED.split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  return JSON.parse(body) as ReturnType<typeof parseCommitted>;
}

describe('deploy/cloudformation.yaml', () => {
  it('is exactly what the generator produces from tables.ts (regenerate it after changing tables)', () => {
    expect(COMMITTED).toBe(renderTemplate());
  });

  it('declares one table per table definition, with its keys, and nothing else', () => {
    const template = parseCommitted();
    expect(Object.keys(template.Resources).sort()).toEqual(ALL_TABLES.map(logicalId).sort());
    for (const table of ALL_TABLES) {
      const { Properties: p } = template.Resources[logicalId(table)]!;
      expect(p.TableName['Fn::Sub']).toBe(`\${TablePrefix}${table.name}`);
      const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
      expect(p.AttributeDefinitions).toEqual(keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })));
      expect(p.KeySchema).toEqual(keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })));
    }
  });

  it('puts TTL on expiresAt exactly on the tables with a retention', () => {
    const template = parseCommitted();
    for (const table of ALL_TABLES) {
      const ttl = template.Resources[logicalId(table)]!.Properties.TimeToLiveSpecification;
      if (table.ttlSeconds === undefined) expect(ttl, table.name).toBeUndefined();
      else expect(ttl, table.name).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    }
    expect(template.Resources[logicalId(ALL_TABLES.find((t) => t.name === 'audit')!)]!.Properties.TimeToLiveSpecification).toBeUndefined();
  });

  it('bills on demand, with point-in-time recovery, KMS encryption and deletion protection on every table', () => {
    for (const resource of Object.values(parseCommitted().Resources)) {
      expect(resource.Type).toBe('AWS::DynamoDB::Table');
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(resource.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(resource.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      expect(resource.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('takes the table prefix as a parameter defaulting to the BFF default', () => {
    expect(parseCommitted().Parameters.TablePrefix?.Default).toBe('picasso-');
  });
});
