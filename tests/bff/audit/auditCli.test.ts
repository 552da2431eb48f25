import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../src/bff/audit/auditTrail.js';
import { EXIT, runAuditCommand } from '../../../src/bff/cli/auditCommand.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from '../store/support/storage.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

describe('audit CLI', () => {
  let storage: TestStorage;
  const clock = manualClock();

  beforeAll(async () => {
    storage = await startStorage();
  });
  afterAll(async () => storage?.close());

  async function chainOf(length: number): Promise<string> {
    const tenantId = freshTenant();
    const audit = new AuditTrail({ doc: storage.doc, prefix: storage.prefix, clock, ipSalt: 'x'.repeat(32) });
    for (let i = 0; i < length; i++) {
      await audit.record({ action: 'state.clear', outcome: 'success', tenantId, detail: { counts: { messages: i } } });
      clock.advance(60_000);
    }
    return tenantId;
  }

  async function cli(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runAuditCommand(argv, {
      doc: storage.doc,
      prefix: storage.prefix,
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    });
    return { code, stdout, stderr };
  }

  it('verify exits 0 on an intact chain and prints its head as an anchor', async () => {
    const tenantId = await chainOf(3);
    const result = await cli('verify', '--tenant', tenantId);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/3 entries, head 3:[0-9a-f]{64}/);
  });

  it('verify exits non-zero and names the first broken seq after an edit', async () => {
    const tenantId = await chainOf(4);
    await storage.doc.send(
      new UpdateCommand({
        TableName: `${storage.prefix}audit`,
        Key: { pk: tenantId, seq: 2 },
        UpdateExpression: 'SET outcome = :o',
        ExpressionAttributeValues: { ':o': 'failure' },
      }),
    );
    const result = await cli('verify', '--tenant', tenantId);
    expect(result.code).toBe(EXIT.broken);
    expect(result.stderr).toContain('broken at seq 2');
  });

  it('verify with the anchor it printed catches a later deletion of the newest entry', async () => {
    const tenantId = await chainOf(3);
    const anchor = /head (\d+:[0-9a-f]{64})/.exec((await cli('verify', '--tenant', tenantId)).stdout)![1]!;
    await storage.doc.send(new DeleteCommand({ TableName: `${storage.prefix}audit`, Key: { pk: tenantId, seq: 3 } }));
    const result = await cli('verify', '--tenant', tenantId, '--anchor', anchor);
    expect(result.code).toBe(EXIT.broken);
    expect(result.stderr).toContain('seq 3');
  });

  it('export writes CSV or JSON lines for the range to stdout', async () => {
    const tenantId = await chainOf(3);
    const jsonl = await cli('export', '--tenant', tenantId, '--format', 'jsonl');
    const entries = jsonl.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { seq: number; at: string });
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    const csv = await cli('export', '--tenant', tenantId, '--format', 'csv', '--from', entries[1]!.at);
    expect(csv.code).toBe(EXIT.ok);
    // The header and the entries from the second on.
    expect(csv.stdout.split('\r\n').filter(Boolean).map((row) => row.split(',')[1])).toEqual(['seq', '2', '3']);
  });

  it('rejects bad usage with exit code 2 and the usage text', async () => {
    for (const argv of [[], ['verify'], ['frobnicate', '--tenant', 'acme'], ['export', '--tenant', 'acme', '--format', 'xml'], ['export', '--tenant', 'acme', '--from', 'yesterday'], ['verify', '--tenant', 'acme', '--bogus']]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(' ')).toBe(EXIT.usage);
      expect(result.stderr).toContain('usage:');
    }
  });

  it('runs as a program configured like the BFF, exiting non-zero on a deleted entry', async () => {
    const tenantId = await chainOf(3);
    await storage.doc.send(new DeleteCommand({ TableName: `${storage.prefix}audit`, Key: { pk: tenantId, seq: 1 } }));
    const env = {
      ...process.env,
      DYNAMODB_ENDPOINT: storage.url,
      TABLE_PREFIX: storage.prefix,
      TENANTS_FILE: path.join(ROOT, 'tests/fixtures/tenants.json'),
      NODE_ENV: 'test',
    };
    const failure = await run(process.execPath, ['--import', 'tsx', 'src/bff/cli/audit.ts', 'verify', '--tenant', tenantId], { cwd: ROOT, env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: EXIT.broken });
    expect((failure as { stderr: string }).stderr).toContain('broken at seq 1');
  });
});
