/**
 * `npm run bench`: every benchmark in turn, then bench/results.md with the machine, the date and
 * each figure beside its budget from PRODUCT.md. A benchmark whose module is not there yet is
 * listed as not available; one that throws is listed as failed; neither stops the others. Each
 * runs in a fresh process, so none is timed on the heap another left behind.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Percentiles } from './state.js';

interface Bench {
  name: string;
  module: string;
  run: string;
  budget: string;
  format?: (result: Record<string, unknown>) => string;
  /** A formatter the benchmark's module exports, used instead of `format`. */
  formatExport?: string;
}

/** Given to this file's own child processes: run only the named benchmark and send its result. */
const CHILD_FLAG = '--run-one';

const f = (n: unknown, digits = 2) => (typeof n === 'number' ? n.toFixed(digits) : String(n));

/** Any result object as a table: a `rows` array by its columns, otherwise its scalar fields. */
function genericTable(result: Record<string, unknown>): string {
  const cell = (v: unknown) => (typeof v === 'number' ? f(v) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  const rows = Array.isArray(result.rows) ? (result.rows as Array<Record<string, unknown>>) : undefined;
  const lines: string[] = [];
  if (rows && rows.length > 0) {
    const columns = Object.keys(rows[0]!);
    lines.push(`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${columns.map((c) => cell(row[c])).join(' | ')} |`), '');
  }
  const scalars = Object.entries(result).filter(([key]) => key !== 'rows');
  if (scalars.length > 0) lines.push('| field | value |', '|---|---|', ...scalars.map(([key, value]) => `| ${key} | ${cell(value)} |`));
  return lines.join('\n');
}

const BENCHES: Bench[] = [
  { name: 'size', module: './size.js', run: 'runSizeBench', budget: 'loader.js <= 2,048 B gzip; widget first load <= 40,960 B gzip' },
  {
    name: 'jwt',
    module: './jwt.js',
    run: 'runJwtBench',
    budget: 'JWT verify p99 <= 1 ms, mint p99 <= 2 ms',
    format: (r) =>
      [
        '| operation | p50 µs | p99 µs | ops/s | budget p99 |',
        '|---|---|---|---|---|',
        ...(r.rows as Array<{ name: string; p50Us: number; p99Us: number; opsPerS: number; budgetP99Us?: number }>).map(
          (row) =>
            `| ${row.name} | ${f(row.p50Us, 1)} | ${f(row.p99Us, 1)} | ${f(row.opsPerS, 0)} | ${row.budgetP99Us === undefined ? 'reference' : `<= ${row.budgetP99Us} µs ${row.p99Us <= row.budgetP99Us ? 'ok' : 'OVER BUDGET'}`} |`,
        ),
      ].join('\n'),
  },
  {
    name: 'state',
    module: './state.js',
    run: 'runStateBench',
    budget: 'state retrieve / clear of a 200-message session: p99 <= 50 ms each (embedded storage)',
    format: (r) => {
      const budget = r.budgetMs as number;
      const row = (what: string, p: Percentiles, verdict = `<= ${budget} ms ${p.p99 <= budget ? 'ok' : 'OVER BUDGET'}`) =>
        `| ${what} | ${p.n} | ${f(p.p50, 1)} | ${f(p.p99, 1)} | ${p.overBudget} | ${verdict} |`;
      return [
        `| operation | n | p50 ms | p99 ms | over ${budget} ms | budget p99 |`,
        '|---|---|---|---|---|---|',
        row('retrieve', r.retrieve as Percentiles),
        row('clear', r.clear as Percentiles),
        row('clear, called in the process: no HTTP, route or token check', r.clearInProcess as Percentiles, 'reference'),
        '',
        'The sessions to clear are all stored first; the clears then run one after another, each on a session at rest, over HTTP and in the process in turn.',
        '',
        `First clear of the process, before the warm-up clears (not in the percentiles): ${f(r.firstClearMs as number, 1)} ms.`,
        '',
        `Session: ${JSON.stringify(r.sessionItems)}`,
      ].join('\n');
    },
  },
  {
    name: 'phi',
    module: './phi.js',
    run: 'runPhiBench',
    budget: 'PHI redaction: recall of pattern-shaped identifiers >= 0.99 (no PRODUCT.md row; the redactor\'s own floor)',
    format: (r) => {
      const afterCollections = r.afterCollectionsMs as { plain: number; keptCompiled: number };
      return [
        '| figure | value |',
        '|---|---|',
        `| pattern-shaped recall | ${f(r.patternShapedRecall, 4)} (${r.passed ? 'ok' : 'BELOW FLOOR'}) |`,
        `| overall | ${JSON.stringify(r.overall)} |`,
        `| negatives untouched | ${String(r.negativesUntouched)} of ${String(r.negatives)} |`,
        `| sentences/s | ${f(r.sentencesPerSecond, 0)} |`,
        `| one sentence after 3 full collections, ms: plain / detectors kept compiled | ${f(afterCollections.plain, 1)} / ${f(afterCollections.keptCompiled, 2)} |`,
      ].join('\n');
    },
  },
  { name: 'resume', module: './resume.js', run: 'runResumeBench', budget: 'resume after the network returns <= 1 s (p95), 0 lost or duplicated characters' },
  {
    name: 'ttft',
    module: './ttft.js',
    run: 'runTtftBench',
    formatExport: 'formatTtft',
    budget: 'time to first token added by the BFF vs calling the model directly: p99 <= 10 ms at 100 concurrent streams (seed: first token < 1000 ms)',
  },
  { name: 'streams', module: './streams.js', run: 'runStreamsBench', formatExport: 'formatStreams', budget: 'concurrent open SSE streams, one BFF process: >= 5,000, <= 40 KB RSS each, heartbeats on time' },
];

type Outcome = { status: 'ok' | 'over budget' | 'not available' | 'failed'; text: string };

/**
 * Runs one benchmark in a process of its own and answers its verdict and report. Benchmarks that
 * keep thousands of sockets open leave a large heap behind them; a later benchmark sharing that
 * process would time that heap's collections as its own latency. This process never loads a
 * benchmark's module itself, for the same reason.
 */
function runInChild(bench: Bench): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, bench.name], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: Outcome | undefined;
    child.once('message', (message) => (answer = message as Outcome));
    child.once('exit', (code, signal) => resolve(answer ?? { status: 'failed', text: `failed: its process ended (${signal ?? `exit code ${code}`}) without a result` }));
  });
}

/** In the child: loads the benchmark's module, runs it and sends its verdict and report to the parent. */
async function serveOne(name: string): Promise<void> {
  const answer = await runHere(name);
  await new Promise((resolve) => process.send!(answer, resolve));
}

async function runHere(name: string): Promise<Outcome> {
  const bench = BENCHES.find((b) => b.name === name);
  if (!bench) return { status: 'failed', text: `failed: no benchmark named ${name}` };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(bench.module)) as Record<string, unknown>;
  } catch (error) {
    const missing = error instanceof Error && /Cannot find module|ERR_MODULE_NOT_FOUND/.test(`${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`);
    if (missing) return { status: 'not available', text: `not available: bench/${bench.name}.ts is missing` };
    return { status: 'failed', text: `failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
  const run = mod[bench.run];
  if (typeof run !== 'function') return { status: 'not available', text: `not available: bench/${bench.name}.ts exports no ${bench.run}()` };
  let result: Record<string, unknown>;
  try {
    result = (await (run as () => Promise<Record<string, unknown>>)()) as Record<string, unknown>;
  } catch (error) {
    return { status: 'failed', text: `failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const exported = bench.formatExport === undefined ? undefined : mod[bench.formatExport];
  const formatter = typeof exported === 'function' ? (exported as (r: Record<string, unknown>) => string) : (bench.format ?? genericTable);
  const passed = result.ok ?? result.pass ?? result.passed;
  return { status: passed === false ? 'over budget' : 'ok', text: formatter(result) };
}

function machine(): string[] {
  const cpu = cpus();
  const [one, five] = loadavg();
  return [
    `- date: ${new Date().toISOString()}`,
    `- cpu: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length} cores`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- node: ${process.version} on ${process.platform}/${process.arch}`,
    `- load average at start: ${f(one)} (1 min), ${f(five)} (5 min)`,
  ];
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const header = machine();
  // Taken before any benchmark runs: later, the load average also counts the benchmarks' own
  // processes (a thousand streams, two browsers), which says nothing about other work.
  const startLoad = loadavg()[0] ?? 0;
  // Quick ones first; the two slowest (seeded storage, real browsers) last.
  const order = ['size', 'jwt', 'phi', 'ttft', 'streams', 'state', 'resume'];
  const chosen = BENCHES.filter((b) => only.length === 0 || only.includes(b.name)).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const done = new Map<string, { status: string; section: string }>();
  // Written after every benchmark, so a run cut short still leaves what it measured.
  const write = () => {
    const notes =
      startLoad > cpus().length
        ? `\nThe load average at start (${f(startLoad)}) exceeded the ${cpus().length} cores: other work shared the machine, so latencies are upper bounds.\n`
        : '';
    const report = [
      '# Benchmark results',
      '',
      'Written by `npm run bench` (bench/all.ts). Budgets are those of PRODUCT.md. Where the time and memory go, and why a',
      'budget is missed: [docs/performance.md](../docs/performance.md).',
      '',
      ...header,
      notes,
      '| benchmark | verdict | budget |',
      '|---|---|---|',
      ...chosen.map((b) => `| ${b.name} | ${done.get(b.name)?.status ?? 'not run (the run ended before it)'} | ${b.budget} |`),
      '',
      ...chosen.flatMap((b) => (done.has(b.name) ? [done.get(b.name)!.section] : [])),
    ].join('\n');
    writeFileSync(path.join(import.meta.dirname, 'results.md'), report);
  };
  for (const bench of chosen) {
    process.stdout.write(`bench ${bench.name}: running\n`);
    const started = Date.now();
    const outcome = await runInChild(bench);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`bench ${bench.name}: ${outcome.status} (${seconds} s)\n`);
    done.set(bench.name, { status: outcome.status, section: `## ${bench.name}\n\nBudget: ${bench.budget}\n\nResult (${outcome.status}, ${seconds} s):\n\n${outcome.text}\n` });
    write();
  }
  process.stdout.write(`wrote bench/results.md\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const child = process.argv.indexOf(CHILD_FLAG);
  if (child >= 0) await serveOne(process.argv[child + 1] ?? '');
  else await main();
  // Benchmarks leave sockets to their servers' shutdown; do not wait on stragglers.
  process.exit(0);
}
