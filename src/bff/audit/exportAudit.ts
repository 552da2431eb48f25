import { canonicalJson } from './canonicalJson.js';

export type ExportFormat = 'jsonl' | 'csv';

export const CSV_COLUMNS = [
  'pk',
  'seq',
  'auditId',
  'at',
  'action',
  'outcome',
  'tenantId',
  'sessionId',
  'tokenId',
  'ipHash',
  'origin',
  'detail',
  'prevHash',
  'hash',
] as const;

/**
 * RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula
 * (OWASP "CSV injection"), since compliance exports are opened in spreadsheets.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? canonicalJson(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(item: Record<string, unknown>): string {
  return `${CSV_COLUMNS.map((column) => csvCell(item[column])).join(',')}\r\n`;
}

/** One entry per line, exactly as stored and hashed, so the export can be verified offline. */
export function jsonlLine(item: Record<string, unknown>): string {
  return `${canonicalJson(item)}\n`;
}

/** Writes the export of a chain's entries to `write`, in the order given. */
export async function exportAudit(
  items: AsyncIterable<Record<string, unknown>>,
  format: ExportFormat,
  write: (chunk: string) => void | Promise<void>,
): Promise<number> {
  let count = 0;
  if (format === 'csv') await write(csvHeader());
  for await (const item of items) {
    await write(format === 'csv' ? csvRow(item) : jsonlLine(item));
    count++;
  }
  return count;
}
