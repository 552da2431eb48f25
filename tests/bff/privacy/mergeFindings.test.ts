import { describe, expect, it } from 'vitest';
import { mergeFindings } from '../../../src/bff/privacy/mergeFindings.js';
import { Certainty, type PhiCandidate } from '../../../src/bff/privacy/phiTypes.js';

const candidate = (type: PhiCandidate['type'], start: number, end: number, certainty: PhiCandidate['certainty']): PhiCandidate => ({
  type,
  start,
  end,
  certainty,
});

describe('mergeFindings', () => {
  it('folds overlapping candidates into one span covering both', () => {
    const merged = mergeFindings([candidate('DATE', 5, 15, Certainty.shaped), candidate('ID', 10, 20, Certainty.generic)]);
    expect(merged).toEqual([{ type: 'DATE', start: 5, end: 20 }]);
  });

  it('names the merged span after the surest candidate, whatever its length', () => {
    const merged = mergeFindings([candidate('PHONE', 4, 14, Certainty.shaped), candidate('LICENSE', 4, 14, Certainty.labelled)]);
    expect(merged).toEqual([{ type: 'LICENSE', start: 4, end: 14 }]);
  });

  it('prefers the longer candidate when both are equally sure', () => {
    const merged = mergeFindings([candidate('IP', 7, 16, Certainty.shaped), candidate('URL', 0, 20, Certainty.shaped)]);
    expect(merged).toEqual([{ type: 'URL', start: 0, end: 20 }]);
  });

  it('chains overlaps transitively and keeps touching spans apart', () => {
    const merged = mergeFindings([
      candidate('NAME', 0, 4, Certainty.shaped),
      candidate('NAME', 3, 8, Certainty.shaped),
      candidate('NAME', 7, 12, Certainty.shaped),
      candidate('PHONE', 12, 20, Certainty.shaped),
    ]);
    expect(merged).toEqual([
      { type: 'NAME', start: 0, end: 12 },
      { type: 'PHONE', start: 12, end: 20 },
    ]);
  });

  it('returns findings in text order regardless of input order', () => {
    const merged = mergeFindings([candidate('ZIP', 30, 35, Certainty.shaped), candidate('EMAIL', 0, 9, Certainty.shaped)]);
    expect(merged.map((finding) => finding.type)).toEqual(['EMAIL', 'ZIP']);
  });
});
