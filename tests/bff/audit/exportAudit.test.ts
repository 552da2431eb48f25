import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash } from '../../../src/bff/audit/auditChain.js';
import { readAuditItems } from '../../../src/bff/audit/auditReader.js';
import { AuditTrail } from '../../../src/bff/audit/auditTrail.js';
import { CSV_COLUMNS, csvCell, exportAudit } from '../../../src/bff/audit/exportAudit.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from '../store/support/storage.js';

/** A strict RFC 4180 reader, to prove what the writer produces reads back cell for cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('csvCell', () => {
  it('quotes cells holding commas, quotes or line breaks and doubles inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes objects as canonical JSON and leaves absent values empty', () => {
    expect(csvCell({ counts: { b: 2, a: 1 } })).toBe('"{""counts"":{""a"":1,""b"":2}}"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(7)).toBe('7');
  });

  it('reads back through an RFC 4180 parser as the original values', () => {
    const values = ['a,b', 'say "hi"', 'two\r\nlines', 'plain'];
    const line = `${values.map(csvCell).join(',')}\r\n`;
    expect(parseCsv(line)).toEqual([values]);
  });
});

describe('exportAudit from storage', () => {
  let storage: TestStorage;
  const clock = manualClock(Date.UTC(2031, 5, 1));
  let tenantId: string;

  beforeAll(async () => {
    storage = await startStorage();
    tenantId = freshTenant();
    const audit = new AuditTrail({ doc: storage.doc, prefix: storage.prefix, clock, ipSalt: 'x'.repeat(32) });
    for (let day = 0; day < 4; day++) {
      await audit.record({
        action: 'state.clear',
        outcome: 'success',
        tenantId,
        origin: 'https://acme.example',
        detail: { counts: { messages: day, facts: 2 } },
      });
      clock.advance(24 * 3600 * 1000);
    }
  });
  afterAll(async () => storage?.close());

  const exported = async (format: 'jsonl' | 'csv', range = {}) => {
    let out = '';
    const count = await exportAudit(readAuditItems(storage.doc, storage.prefix, tenantId, range), format, (chunk) => {
      out += chunk;
    });
    return { out, count };
  };

  it('exports JSON lines that are the stored entries, verifiable offline by their hashes', async () => {
    const { out, count } = await exported('jsonl');
    const lines = out.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(count).toBe(4);
    expect(lines.map((line) => line.seq)).toEqual([1, 2, 3, 4]);
    for (const line of lines) expect(entryHash(line)).toBe(line.hash);
    expect(lines[1]!.prevHash).toBe(lines[0]!.hash);
  });

  it('exports CSV with a header and one parseable row per entry, detail as JSON', async () => {
    const { out } = await exported('csv');
    const rows = parseCsv(out);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(5);
    const detail = rows[2]![CSV_COLUMNS.indexOf('detail')]!;
    expect(JSON.parse(detail)).toEqual({ counts: { facts: 2, messages: 1 } });
    expect(rows[2]![CSV_COLUMNS.indexOf('origin')]).toBe('https://acme.example');
  });

  it('limits the export to entries from "from" (inclusive) to "to" (exclusive)', async () => {
    const day = (n: number) => new Date(Date.UTC(2031, 5, 1 + n)).toISOString();
    const { out } = await exported('jsonl', { from: day(1), to: day(3) });
    expect(out.trimEnd().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([2, 3]);
  });
});
