import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactPhi, type PhiType } from '../../../src/bff/privacy/redactPhi.js';
import { parseCorpusLines, toJsonl } from '../../fixtures/phi/corpusEntry.js';
import { locateSpans, scoreCorpus } from '../../fixtures/phi/corpusScoring.js';
import { CORPUS_PATH, generateCorpus } from '../../fixtures/phi/generateCorpus.js';

const corpusText = readFileSync(CORPUS_PATH, 'utf8');
const corpus = parseCorpusLines(corpusText);
const score = scoreCorpus(corpus, redactPhi);

const PATTERN_SHAPED: readonly PhiType[] = [
  'PHONE', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'ZIP', 'URL', 'IP', 'VEHICLE', 'DEVICE', 'DATE', 'AGE',
];

describe('the labelled corpus', () => {
  it('is exactly what generateCorpus.ts produces, so it can be regenerated', () => {
    expect(corpusText).toBe(toJsonl(generateCorpus()));
  });

  it('has at least 300 sentences, 60 of them without PHI, and every family labelled', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(corpus.filter((entry) => entry.spans.length === 0).length).toBeGreaterThanOrEqual(60);
    for (const type of [...PATTERN_SHAPED, 'NAME', 'ADDRESS'] as const) expect(score.byType[type].labelled).toBeGreaterThan(0);
  });

  it('labels only values that occur in their sentence', () => {
    for (const entry of corpus) expect(() => locateSpans(entry)).not.toThrow();
  });
});

describe('redaction over the corpus', () => {
  it.each(PATTERN_SHAPED)('lets no labelled %s value survive', (type) => {
    const missed = score.missed.filter((miss) => miss.type === type);
    expect(missed).toEqual([]);
    expect(score.byType[type].recall).toBe(1);
  });

  it('recalls at least 95% of names', () => {
    expect(score.byType.NAME.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('recalls at least 95% of street addresses', () => {
    expect(score.byType.ADDRESS.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('leaves at least 95% of the sentences without PHI untouched', () => {
    expect(score.negativesUntouched / score.negatives).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps overall precision above 95% on the sentences with PHI', () => {
    expect(score.overall.precision).not.toBeNull();
    expect(score.overall.precision!).toBeGreaterThanOrEqual(0.95);
  });
});

describe('corpus scoring', () => {
  const entry = { text: 'call 555-010-2233 now', spans: [{ type: 'PHONE' as const, value: '555-010-2233' }] };

  it('counts a value as missed when any of its digits survive', () => {
    const partial = scoreCorpus([entry], () => ({ text: 'call [PHONE]2233 now', findings: [{ type: 'PHONE', start: 5, end: 13 }] }));
    expect(partial.byType.PHONE.recall).toBe(0);
    expect(partial.missed).toHaveLength(1);
  });

  it('charges redacted characters outside every label against precision', () => {
    const wide = scoreCorpus([entry], () => ({ text: '[PHONE]', findings: [{ type: 'PHONE', start: 0, end: 21 }] }));
    expect(wide.byType.PHONE.recall).toBe(1);
    expect(wide.byType.PHONE.precision).toBeCloseTo(12 / 21);
  });
});
