/**
 * JWT mint and verify latency against the budgets in PRODUCT.md (verify p99 <= 1 ms, mint p99
 * <= 2 ms), next to bare jose calls, which is what a service without purpose pinning would run.
 * `npx tsx bench/jwt.ts` exits non-zero when a budget is missed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { jwtVerify, SignJWT } from 'jose';
import { createKeyStore } from '../src/bff/auth/keyStore.js';
import { mintSessionTokens } from '../src/bff/auth/mintTokens.js';
import { verifyToken } from '../src/bff/auth/verifyToken.js';

export interface JwtBenchRow {
  name: string;
  p50Us: number;
  p99Us: number;
  opsPerS: number;
  /** Undefined for reference rows that carry no budget. */
  budgetP99Us?: number;
}

export interface JwtBenchResult {
  rows: JwtBenchRow[];
  ok: boolean;
}

const ISSUER = 'https://bff.example';

async function measure(name: string, iterations: number, warmup: number, op: () => Promise<unknown>, budgetP99Us?: number): Promise<JwtBenchRow> {
  for (let i = 0; i < warmup; i += 1) await op();
  const samples = new Float64Array(iterations);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) {
    const t0 = process.hrtime.bigint();
    await op();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const totalS = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort();
  const at = (q: number) => samples[Math.min(iterations - 1, Math.floor(q * iterations))] ?? Number.NaN;
  const row: JwtBenchRow = { name, p50Us: at(0.5), p99Us: at(0.99), opsPerS: iterations / totalS };
  if (budgetP99Us !== undefined) row.budgetP99Us = budgetP99Us;
  return row;
}

function print(rows: readonly JwtBenchRow[]): void {
  const lines = rows.map((row) => {
    const verdict = row.budgetP99Us === undefined ? 'reference' : row.p99Us <= row.budgetP99Us ? 'ok' : 'OVER BUDGET';
    const budget = row.budgetP99Us === undefined ? '-' : `${(row.budgetP99Us / 1000).toFixed(1)} ms`;
    return [
      row.name.padEnd(40),
      `${row.p50Us.toFixed(0).padStart(6)} µs`,
      `${row.p99Us.toFixed(0).padStart(6)} µs`,
      `${row.opsPerS.toFixed(0).padStart(8)}/s`,
      budget.padStart(9),
      verdict,
    ].join('  ');
  });
  const [load1 = 0] = loadavg();
  console.log(`JWT bench: ${cpus().length} CPUs, load average ${load1.toFixed(2)} (figures from a busy machine are pessimistic)`);
  console.log(['operation'.padEnd(40), '     p50', '     p99', '     ops/s', 'p99 budget', 'verdict'].join('  '));
  for (const line of lines) console.log(line);
}

export async function runJwtBench(options: { iterations?: number; warmup?: number } = {}): Promise<JwtBenchResult> {
  const iterations = options.iterations ?? 20_000;
  const warmup = options.warmup ?? 2_000;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'picasso-bench-keys-'));
  const keys = await createKeyStore({ dataDir, production: false });
  try {
    const subject = { tenantId: 'acme', sessionId: 'bench-session' };
    const mintOptions = () => ({ issuer: ISSUER, streamTtlS: 300, manageTtlS: 900, now: Date.now() });
    const { stream } = await mintSessionTokens(keys, subject, mintOptions());
    const signer = keys.signer();
    const verifier = keys.verifierFor(signer.kid);
    if (verifier === undefined) throw new Error('the signing key does not verify');

    const rows = [
      await measure('verifyToken (stream, all pins)', iterations, warmup, () =>
        verifyToken(keys, stream.token, 'stream', { issuer: ISSUER, now: Date.now() }), 1_000),
      await measure('mintSessionTokens (stream + manage)', iterations, warmup, () =>
        mintSessionTokens(keys, subject, mintOptions()), 2_000),
      await measure('reference: bare jose jwtVerify', iterations, warmup, () => jwtVerify(stream.token, verifier)),
      await measure('reference: bare jose SignJWT (one token)', iterations, warmup, () =>
        new SignJWT({ tid: 'acme' }).setProtectedHeader({ alg: 'ES256', kid: signer.kid }).setExpirationTime('5m').sign(signer.key)),
    ];
    return { rows, ok: rows.every((row) => row.budgetP99Us === undefined || row.p99Us <= row.budgetP99Us) };
  } finally {
    keys.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runJwtBench();
  print(result.rows);
  console.log(result.ok ? 'JWT budgets met' : 'JWT budgets MISSED');
  process.exitCode = result.ok ? 0 : 1;
}
