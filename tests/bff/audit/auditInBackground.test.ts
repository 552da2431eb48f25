import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { auditInBackground } from '../../../src/bff/audit/auditInBackground.js';
import { AuditTrail } from '../../../src/bff/audit/auditTrail.js';
import { createLogger } from '../../../src/bff/observability/logger.js';
import { createDynamoClients } from '../../../src/bff/store/dynamoClient.js';

describe('auditInBackground', () => {
  it('returns at once, and reports a failed write by action and error name only', async () => {
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url: 'http://127.0.0.1:9' });
    const lines: string[] = [];
    const log = createLogger(
      'trace',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const failed: string[] = [];
    const record = auditInBackground(new AuditTrail({ doc, prefix: 'p-', clock: Date.now, ipSalt: 'x'.repeat(32) }), log, (action) => failed.push(action));
    expect(record({ action: 'auth.failure', outcome: 'denied', tenantId: 'acme', ip: '203.0.113.77', detail: { reason: 'expired' } })).toBeUndefined();
    for (let i = 0; i < 200 && failed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    raw.destroy();
    expect(failed).toEqual(['auth.failure']);
    expect(lines.join('')).toContain('"action":"auth.failure"');
    expect(lines.join('')).not.toContain('203.0.113.77');
  });
});
