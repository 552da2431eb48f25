import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/bff/observability/metrics.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

type Node = string | Node[] | { [key: string]: Node };

/**
 * Reads the YAML subset the rules file is written in: block maps, block lists of maps, one-line
 * plain scalars, `#` comment lines. Anything else throws, so the file cannot drift into YAML
 * that this check would misread.
 */
export function parseYamlSubset(text: string): Node {
  const lines = text
    .split('\n')
    .map((raw, index) => ({ raw, number: index + 1 }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.trimStart().startsWith('#'));
  let at = 0;
  const indentOf = (raw: string) => raw.length - raw.trimStart().length;
  const fail = (message: string): never => {
    throw new Error(`line ${lines[at]?.number ?? 'end'}: ${message}`);
  };
  const scalar = (value: string): string => {
    if (/^["'&*!|>{[%@`]/.test(value) || / #/.test(value)) fail(`unsupported scalar: ${value}`);
    return value;
  };

  function block(indent: number): Node {
    const first = lines[at]!;
    return first.raw.trimStart().startsWith('- ') ? list(indentOf(first.raw)) : map(indent);
  }

  function map(indent: number, firstLine?: string): { [key: string]: Node } {
    const result: { [key: string]: Node } = {};
    let pending = firstLine;
    while (pending !== undefined || (at < lines.length && indentOf(lines[at]!.raw) === indent && !lines[at]!.raw.trimStart().startsWith('- '))) {
      const content = pending ?? lines[at]!.raw.trim();
      pending = undefined;
      at += 1;
      const match = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/.exec(content);
      if (!match) fail(`expected "key: value", got "${content}"`);
      const [, key, value] = match!;
      if (key! in result) fail(`duplicate key ${key}`);
      if (value !== undefined && value !== '') result[key!] = scalar(value);
      else if (at < lines.length && indentOf(lines[at]!.raw) > indent) result[key!] = block(indentOf(lines[at]!.raw));
      else if (at < lines.length && lines[at]!.raw.trimStart().startsWith('- ') && indentOf(lines[at]!.raw) === indent) result[key!] = list(indent);
      else fail(`key ${key} has no value`);
    }
    if (at < lines.length && indentOf(lines[at]!.raw) > indent) fail('unexpected indentation');
    return result;
  }

  function list(indent: number): Node[] {
    const items: Node[] = [];
    while (at < lines.length && indentOf(lines[at]!.raw) === indent && lines[at]!.raw.trimStart().startsWith('- ')) {
      const content = lines[at]!.raw.trimStart().slice(2);
      items.push(map(indent + 2, content));
    }
    return items;
  }

  const root = map(0);
  if (at < lines.length) fail('trailing content');
  return root;
}

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}

const rulesText = readFileSync(path.join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8');
const parsed = parseYamlSubset(rulesText) as unknown as { groups: Array<{ name: string; rules: Rule[] }> };
const rules = parsed.groups.flatMap((g) => g.rules);
const alertOf = (name: string) => rules.find((r) => r.alert === name);

/** Exported series of a metric: histograms add _bucket, _sum and _count. */
const baseName = (series: string) => series.replace(/_(bucket|sum|count)$/, '');

describe('deploy/prometheus/alerts.yml', () => {
  it('parses into groups of complete rules', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(Object.keys(rule).sort(), rule.alert).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(['page', 'ticket'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length, rule.alert).toBeGreaterThan(10);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('names only metrics the BFF registers, with the right series suffixes', () => {
    const { registry } = createMetrics();
    for (const rule of rules) {
      const series = rule.expr.match(/\bpicasso_[a-z0-9_]+/g) ?? [];
      expect(series.length, rule.alert).toBeGreaterThan(0);
      for (const name of series) {
        const metric = registry.getSingleMetric(baseName(name)) ?? registry.getSingleMetric(name);
        expect(metric, `${rule.alert}: ${name}`).toBeDefined();
        if (name.endsWith('_bucket')) expect(metric!.constructor.name, `${rule.alert}: ${name}`).toBe('Histogram');
      }
    }
  });

  it('covers the service levels: first token p95 > 1 s, error ratio, clear p99 > 200 ms, storage errors, audit write failures', () => {
    expect(alertOf('PicassoFirstTokenSlow')?.expr).toMatch(/histogram_quantile\(0\.95,.*picasso_time_to_first_token_seconds_bucket.*\) > 1$/);
    expect(alertOf('PicassoErrorRatioHigh')?.expr).toMatch(/picasso_http_requests_total\{status_class="5xx"\}.*\/.*picasso_http_requests_total/);
    expect(alertOf('PicassoStateClearSlow')?.expr).toMatch(/histogram_quantile\(0\.99,.*picasso_state_operation_seconds_bucket\{operation="clear"\}.*\) > 0\.2$/);
    expect(alertOf('PicassoStorageErrors')?.expr).toMatch(/picasso_storage_errors_total.*> 0$/);
    expect(alertOf('PicassoAuditWriteFailures')?.expr).toMatch(/picasso_audit_write_failures_total.*> 0$/);
  });

  it('links every alert to a section of docs/operations.md', () => {
    const operations = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
    const anchors = new Set([...operations.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const rule of rules) {
      const [file, anchor] = rule.annotations.runbook.split('#');
      expect(file).toBe('docs/operations.md');
      expect(anchors, rule.alert).toContain(anchor);
    }
  });

  it('rejects YAML outside the subset rather than misreading it', () => {
    expect(() => parseYamlSubset('groups:\n  - name: "quoted"\n')).toThrow(/unsupported scalar/);
    expect(() => parseYamlSubset('a: 1\na: 2\n')).toThrow(/duplicate key/);
    expect(() => parseYamlSubset('a: {b: 1}\n')).toThrow(/unsupported scalar/);
  });
});
