import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_TABLES, TABLES, physicalName } from '../../src/bff/store/tables.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

const policy = JSON.parse(readFileSync(path.join(ROOT, 'deploy/iam-policy.json'), 'utf8')) as { Version: string; Statement: Statement[] };
const tableArn = (name: string) => new RegExp(`^arn:aws:dynamodb:[a-z0-9-]+:\\d{12}:table/${name.replace(/[.-]/g, '\\$&')}$`);
const statementsFor = (resource: string) => policy.Statement.filter((s) => s.Resource.includes(resource));

describe('deploy/iam-policy.json is least privilege for the BFF', () => {
  it('only allows, with explicit action and resource lists', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(Array.isArray(statement.Action) && Array.isArray(statement.Resource)).toBe(true);
    }
  });

  it('names no wildcard in any action or resource', () => {
    const all = policy.Statement.flatMap((s) => [...s.Action, ...s.Resource]);
    expect(all.filter((entry) => entry.includes('*') || entry.includes('?'))).toEqual([]);
  });

  it('grants every table of the store, under the default prefix, and no other table', () => {
    const dynamoResources = policy.Statement.flatMap((s) => s.Resource).filter((r) => r.startsWith('arn:aws:dynamodb:'));
    for (const table of ALL_TABLES) {
      const name = physicalName('picasso-', table);
      expect(dynamoResources.filter((r) => tableArn(name).test(r)), name).toHaveLength(1);
    }
    expect(dynamoResources).toHaveLength(ALL_TABLES.length);
  });

  it('keeps the audit table append-only: no update, delete or batch write', () => {
    const auditArn = policy.Statement.flatMap((s) => s.Resource).find((r) => tableArn(physicalName('picasso-', TABLES.audit)).test(r))!;
    const actions = statementsFor(auditArn).flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem']));
    expect(actions.filter((a) => /UpdateItem|DeleteItem|BatchWriteItem|DeleteTable|UpdateTable/.test(a))).toEqual([]);
  });

  it('allows only the two Bedrock invoke actions, on model ARNs', () => {
    const bedrock = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith('bedrock:')));
    expect(bedrock.flatMap((s) => s.Action).sort()).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    for (const resource of bedrock.flatMap((s) => s.Resource)) {
      expect(resource).toMatch(/^arn:aws:bedrock:[a-z0-9-]+:(\d{12})?:(foundation-model|inference-profile)\/[A-Za-z0-9.:_-]+$/);
    }
  });

  it('grants nothing beyond DynamoDB and Bedrock', () => {
    const services = new Set(policy.Statement.flatMap((s) => s.Action).map((a) => a.split(':')[0]));
    expect([...services].sort()).toEqual(['bedrock', 'dynamodb']);
  });
});
