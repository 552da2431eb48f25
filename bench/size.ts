/**
 * Compressed size of what a host page and the widget iframe download first, against the budgets
 * in PRODUCT.md and next to the peers a host would otherwise embed. Reads dist/ (run
 * `npm run build` first); gzip level 9, so the figures are the same on every run.
 * `npx tsx bench/size.ts` exits non-zero when a budget is missed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const LOADER_BUDGET_B = 2_048;
export const FIRST_LOAD_BUDGET_B = 40_960;

/** Published sizes of the peers (gzip B), as listed in PRODUCT.md. */
export const PEERS = {
  loader: [
    { name: 'Rocket.Chat livechat loader', gzipB: 3_119 },
    { name: 'aws-lex-web-ui loader', gzipB: 33_671 },
  ],
  firstLoad: [
    { name: 'Rocket.Chat livechat iframe', gzipB: 72_656 },
    { name: 'Typebot', gzipB: 196_433 },
    { name: 'Flowise', gzipB: 283_788 },
  ],
} as const;

export interface SizeFile {
  file: string;
  rawB: number;
  gzipB: number;
}

export interface SizeBenchResult {
  loader: SizeFile;
  /** index.html and every script, module preload and stylesheet it references. */
  firstLoad: SizeFile[];
  firstLoadGzipB: number;
  ok: boolean;
}

const gzipSize = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

function measure(dist: string, file: string): SizeFile {
  const bytes = readFileSync(path.join(dist, file));
  return { file, rawB: bytes.length, gzipB: gzipSize(bytes) };
}

/** Every same-origin URL under /widget/ that index.html makes the browser fetch at once. */
export function firstLoadFiles(html: string): string[] {
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"[^>]*>/g)].map((m) => m[1] ?? '');
  return [...new Set(refs.filter((ref) => ref.startsWith('/widget/')).map((ref) => `widget/${ref.slice('/widget/'.length)}`))];
}

export function runSizeBench(dist = path.resolve(import.meta.dirname, '..', 'dist')): SizeBenchResult {
  if (!existsSync(path.join(dist, 'widget', 'index.html'))) throw new Error(`no build in ${dist}: run "npm run build" first`);
  const loader = measure(dist, 'loader/loader.js');
  const html = readFileSync(path.join(dist, 'widget', 'index.html'), 'utf8');
  const firstLoad = [measure(dist, 'widget/index.html'), ...firstLoadFiles(html).map((file) => measure(dist, file))];
  const firstLoadGzipB = firstLoad.reduce((sum, file) => sum + file.gzipB, 0);
  return { loader, firstLoad, firstLoadGzipB, ok: loader.gzipB <= LOADER_BUDGET_B && firstLoadGzipB <= FIRST_LOAD_BUDGET_B };
}

function printTable(result: SizeBenchResult): void {
  const row = (name: string, gzipB: number, budget?: number) =>
    `${name.padEnd(34)} ${gzipB.toLocaleString('en-US').padStart(9)} B${budget === undefined ? '' : `  budget ${budget.toLocaleString('en-US')} B  ${gzipB <= budget ? 'ok' : 'OVER'}`}`;
  console.log('loader (gzip -9)');
  console.log(row('Picasso loader.js', result.loader.gzipB, LOADER_BUDGET_B));
  for (const peer of PEERS.loader) console.log(row(peer.name, peer.gzipB));
  console.log('\nwidget first load (gzip -9)');
  for (const file of result.firstLoad) console.log(row(`  ${file.file}`, file.gzipB));
  console.log(row('Picasso first load, total', result.firstLoadGzipB, FIRST_LOAD_BUDGET_B));
  for (const peer of PEERS.firstLoad) console.log(row(peer.name, peer.gzipB));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = runSizeBench();
  printTable(result);
  if (!result.ok) process.exitCode = 1;
}
