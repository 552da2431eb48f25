import { ALL_TABLES, type TableDefinition } from './tables.js';
import { TTL_ATTRIBUTE } from './enableTtl.js';

export const TEMPLATE_HEADER = [
  '# Picasso DynamoDB tables. Generated from src/bff/store/tables.ts by',
  '#   npx tsx src/bff/cli/cloudformation.ts > deploy/cloudformation.yaml',
  '# Do not edit by hand. The body is JSON, which is also YAML.',
].join('\n');

/** CloudFormation logical id of a table: "turn-log" -> "TurnLogTable". */
export function logicalId(table: TableDefinition): string {
  return `${table.name.replace(/(^|[-_.])(\w)/g, (_, _sep: string, letter: string) => letter.toUpperCase())}Table`;
}

function tableResource(table: TableDefinition) {
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  return {
    Type: 'AWS::DynamoDB::Table',
    // Conversation and audit data outlive a stack update gone wrong: nothing here is deleted with the stack.
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      TableName: { 'Fn::Sub': `\${TablePrefix}${table.name}` },
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
      KeySchema: [
        { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
        ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' }] : []),
      ],
      ...(table.ttlSeconds === undefined ? {} : { TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::If': ['HasKmsKey', { Ref: 'KmsKeyId' }, { Ref: 'AWS::NoValue' }] },
      },
      DeletionProtectionEnabled: true,
      Tags: [
        { Key: 'app', Value: 'picasso' },
        { Key: 'retention', Value: table.ttlSeconds === undefined ? 'kept' : `${table.ttlSeconds}s` },
      ],
    },
  };
}

/** The stack: one table per entry of ALL_TABLES, named TablePrefix + name. */
export function cloudFormationTemplate(tables: readonly TableDefinition[] = ALL_TABLES) {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Picasso: conversation storage (retention by TTL) and the hash-chained audit trail',
    Parameters: {
      TablePrefix: {
        Type: 'String',
        Default: 'picasso-',
        AllowedPattern: '^[A-Za-z0-9_.-]{0,200}$',
        Description: 'Prefix of every table name; the same value as the BFF setting TABLE_PREFIX',
      },
      KmsKeyId: {
        Type: 'String',
        Default: '',
        Description: 'Customer managed KMS key for encryption at rest; empty uses the AWS managed key for DynamoDB',
      },
    },
    Conditions: { HasKmsKey: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'KmsKeyId' }, ''] }] } },
    Resources: Object.fromEntries(tables.map((table) => [logicalId(table), tableResource(table)])),
    Outputs: Object.fromEntries(
      tables.map((table) => [`${logicalId(table)}Name`, { Description: table.description, Value: { Ref: logicalId(table) } }]),
    ),
  };
}

/** The committed file's exact text. */
export function renderTemplate(tables: readonly TableDefinition[] = ALL_TABLES): string {
  return `${TEMPLATE_HEADER}\n${JSON.stringify(cloudFormationTemplate(tables), null, 2)}\n`;
}
