/**
 * Recall and precision of the PHI redactor per identifier type over the labelled corpus, and its
 * throughput. Run: `npx tsx bench/phi.ts`. Exits non-zero when any pattern-shaped type (everything
 * but names and street addresses) falls below 0.99 recall.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PHI_TYPES, redactPhi, type PhiType } from '../src/bff/privacy/redactPhi.js';
import { parseCorpusLines } from '../tests/fixtures/phi/corpusEntry.js';
import { scoreCorpus, type TypeScore } from '../tests/fixtures/phi/corpusScoring.js';

const CORPUS = fileURLToPath(new URL('../tests/fixtures/phi/corpus.jsonl', import.meta.url));

/** Types whose recall must be (near) perfect: their shape or label identifies them. */
export const PATTERN_SHAPED_TYPES: readonly PhiType[] = [
  'PHONE', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'ZIP', 'URL', 'IP', 'VEHICLE', 'DEVICE', 'DATE', 'AGE',
];
export const PATTERN_RECALL_FLOOR = 0.99;
const THROUGHPUT_ROUNDS = 20;

export interface PhiBenchResult {
  sentences: number;
  byType: Partial<Record<PhiType, TypeScore>>;
  overall: TypeScore;
  patternShapedRecall: number;
  negatives: number;
  negativesUntouched: number;
  sentencesPerSecond: number;
  passed: boolean;
}

export async function runPhiBench(): Promise<PhiBenchResult> {
  const corpus = parseCorpusLines(readFileSync(CORPUS, 'utf8'));
  const score = scoreCorpus(corpus, redactPhi);

  // Warm up so the JIT has compiled the regexes before timing.
  for (const entry of corpus) redactPhi(entry.text);
  const started = process.hrtime.bigint();
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    for (const entry of corpus) redactPhi(entry.text);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const byType: Partial<Record<PhiType, TypeScore>> = {};
  for (const type of PHI_TYPES) {
    const typeScore = score.byType[type];
    if (typeScore.labelled > 0 || typeScore.redactedChars > 0) byType[type] = typeScore;
  }
  const shaped = PATTERN_SHAPED_TYPES.map((type) => score.byType[type]);
  const labelled = shaped.reduce((sum, s) => sum + s.labelled, 0);
  const recalled = shaped.reduce((sum, s) => sum + s.recalled, 0);
  const patternShapedRecall = labelled === 0 ? 1 : recalled / labelled;
  const passed = shaped.every((s) => s.recall >= PATTERN_RECALL_FLOOR);
  return {
    sentences: corpus.length,
    byType,
    overall: score.overall,
    patternShapedRecall,
    negatives: score.negatives,
    negativesUntouched: score.negativesUntouched,
    sentencesPerSecond: (corpus.length * THROUGHPUT_ROUNDS) / seconds,
    passed,
  };
}

function printReport(result: PhiBenchResult): void {
  const percent = (value: number | null) => (value === null ? '     -' : `${(value * 100).toFixed(1).padStart(5)}%`);
  const row = (name: string, s: TypeScore) =>
    `${name.padEnd(12)} ${String(s.labelled).padStart(8)} ${percent(s.recall)}  ${percent(s.precision)}`;
  console.log(`PHI redaction over ${result.sentences} sentences (${result.negatives} without PHI)\n`);
  console.log(`${'type'.padEnd(12)} ${'labelled'.padStart(8)} recall  precision`);
  for (const [type, s] of Object.entries(result.byType)) console.log(row(type, s));
  console.log(row('overall', result.overall));
  console.log(`\npattern-shaped recall: ${percent(result.patternShapedRecall)} (floor ${PATTERN_RECALL_FLOOR * 100}% per type)`);
  console.log(`negatives untouched:   ${result.negativesUntouched}/${result.negatives}`);
  console.log(`throughput:            ${Math.round(result.sentencesPerSecond).toLocaleString('en-US')} sentences/s`);
  console.log(result.passed ? '\nPASS' : '\nFAIL: a pattern-shaped type is below the recall floor');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runPhiBench();
  printReport(result);
  if (!result.passed) process.exitCode = 1;
}
