import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readAuditItems } from '../audit/auditReader.js';
import { exportAudit, type ExportFormat } from '../audit/exportAudit.js';
import { verifyChain } from '../audit/verifyChain.js';

export interface AuditCliIo {
  doc: DynamoDBDocumentClient;
  prefix: string;
  stdout: (text: string) => void | Promise<void>;
  stderr: (text: string) => void;
}

export const EXIT = { ok: 0, broken: 1, usage: 2, storage: 3 } as const;

export const USAGE = `usage:
  audit verify --tenant T [--anchor SEQ:HASH]
  audit export --tenant T [--from ISO] [--to ISO] [--format jsonl|csv]
T is a tenant id, or _system for events without a tenant. --from is inclusive, --to exclusive.`;

class UsageError extends Error {}

function isoArg(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`--${name} must be an ISO 8601 date or time, got "${value}"`);
  return new Date(time).toISOString();
}

function anchorArg(value: string | undefined): { seq: number; hash: string } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (!match) throw new UsageError('--anchor must be SEQ:HASH as printed by verify');
  return { seq: Number(match[1]), hash: match[2]! };
}

/** `audit verify` and `audit export` against an open storage client; returns the exit code. */
export async function runAuditCommand(argv: readonly string[], io: AuditCliIo): Promise<number> {
  let command: string | undefined;
  let values: { tenant?: string; from?: string; to?: string; format?: string; anchor?: string };
  try {
    const parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { tenant: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, anchor: { type: 'string' } },
    });
    command = parsed.positionals[0];
    values = parsed.values;
    if (parsed.positionals.length !== 1 || (command !== 'verify' && command !== 'export')) throw new UsageError('expected one command: verify or export');
    if (!values.tenant) throw new UsageError('--tenant is required');
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const tenant = values.tenant;
  try {
    if (command === 'verify') {
      const verdict = await verifyChain(tenant, readAuditItems(io.doc, io.prefix, tenant), { anchor: anchorArg(values.anchor) });
      if (!verdict.ok) {
        io.stderr(`audit chain of ${tenant} is broken at seq ${verdict.brokenAt}: ${verdict.problem} (${verdict.entries} entries verified before it)\n`);
        return EXIT.broken;
      }
      await io.stdout(
        verdict.head
          ? `audit chain of ${tenant} verified: ${verdict.entries} entries, head ${verdict.head.seq}:${verdict.head.hash}\n`
          : `audit chain of ${tenant} is empty\n`,
      );
      return EXIT.ok;
    }
    const format = (values.format ?? 'jsonl') as ExportFormat;
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv');
    const range = { from: isoArg('from', values.from), to: isoArg('to', values.to) };
    await exportAudit(readAuditItems(io.doc, io.prefix, tenant, range), format, io.stdout);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n${USAGE}\n`);
      return EXIT.usage;
    }
    io.stderr(`audit storage could not be read: ${rootCause(error)}\n`);
    return EXIT.storage;
  }
}

/** The innermost cause, which names the storage failure (e.g. ResourceNotFoundException for a missing table). */
function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? `${current.name}: ${current.message}` : String(current);
}
