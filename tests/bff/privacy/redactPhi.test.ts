import { describe, expect, it } from 'vitest';
import { PHI_TYPES, containsPhi, redactPhi } from '../../../src/bff/privacy/redactPhi.js';

const MESSAGE =
  'This is Maria Lopez, DOB 03/14/1962, call 555-010-2233 or maria@example.com; MRN 00482913, I live at 12 Oak St, Dayton, OH 45402.';

describe('redactPhi', () => {
  it('replaces every identifier with a typed placeholder and keeps the rest of the text', () => {
    expect(redactPhi(MESSAGE).text).toBe(
      'This is [NAME], DOB [DATE], call [PHONE] or [EMAIL]; MRN [MRN], I live at [ADDRESS], Dayton, OH [ZIP].',
    );
  });

  it('reports findings as ordered, non-overlapping offsets into the original text', () => {
    const { findings } = redactPhi(MESSAGE);
    expect(findings.map((finding) => [finding.type, MESSAGE.slice(finding.start, finding.end)])).toEqual([
      ['NAME', 'Maria Lopez'],
      ['DATE', '03/14/1962'],
      ['PHONE', '555-010-2233'],
      ['EMAIL', 'maria@example.com'],
      ['MRN', '00482913'],
      ['ADDRESS', '12 Oak St'],
      ['ZIP', '45402'],
    ]);
    for (let i = 1; i < findings.length; i++) expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
  });

  it('returns the input unchanged with no findings when there is no PHI', () => {
    const text = 'I take 500 mg of metformin at 3pm since 2019 for type 2 diabetes.';
    expect(redactPhi(text)).toEqual({ text, findings: [] });
  });

  it('handles the empty string', () => {
    expect(redactPhi('')).toEqual({ text: '', findings: [] });
  });

  it('is deterministic and leaves nothing to redact in its own output', () => {
    const once = redactPhi(MESSAGE);
    expect(redactPhi(MESSAGE)).toEqual(once);
    expect(redactPhi(once.text).findings).toEqual([]);
  });

  it('only ever emits types from the exported PhiType list', () => {
    for (const finding of redactPhi(MESSAGE).findings) expect(PHI_TYPES).toContain(finding.type);
  });
});

describe('containsPhi', () => {
  it.each([MESSAGE, 'my zip code is 02139', 'I am 97 years old', 'fax 555 010 2299'])('is true for %j', (text) => {
    expect(containsPhi(text)).toBe(true);
  });

  it.each(['I take 500 mg at 3pm.', 'COVID-19 booster in 2023?', ''])('is false for %j', (text) => {
    expect(containsPhi(text)).toBe(false);
  });
});

describe('adversarial input', () => {
  it('redacts a 100k-digit run as one identifier', () => {
    const text = '1'.repeat(100_000);
    expect(redactPhi(text).findings).toEqual([{ type: 'ID', start: 0, end: 100_000 }]);
  });

  it('redacts a 100k-character URL whole, never a prefix of it', () => {
    const text = `see http://${'a'.repeat(100_000)} now`;
    expect(redactPhi(text).text).toBe('see [URL] now');
  });

  it('redacts a very long letter-digit code whole', () => {
    expect(redactPhi(`code ${'A1'.repeat(50_000)}`).text).toBe('code [ID]');
  });

  it.each([
    ['near-emails', 'a@'.repeat(50_000)],
    ['dotted digits', '1.'.repeat(50_000)],
    ['dashed digits', '1-'.repeat(50_000)],
    ['colons', `${'::'.repeat(50_000)}ffff`],
    ['repeated name cues', 'my name is '.repeat(20_000)],
    ['a long word', 'a'.repeat(100_000) + '@'],
    ['numbers before no street', '123 '.repeat(30_000)],
    ['spaces', `${' '.repeat(100_000)}x`],
  ])('finds nothing in %s', (_, text) => {
    expect(redactPhi(text).findings).toEqual([]);
  });

  it('still finds the real identifier at the end of a long run of look-alikes', () => {
    const text = `${'123 '.repeat(30_000)}Main St`;
    const { findings } = redactPhi(text);
    expect(findings).toHaveLength(1);
    expect(text.slice(findings[0]!.start, findings[0]!.end)).toBe('123 Main St');
  });

  it('redacts thousands of distinct names, each once per occurrence', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `Q${i.toString(26).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}x`);
    const text = names.map((name) => `Dr. ${name} saw ${name}.`).join(' ');
    expect(redactPhi(text).text).toBe(names.map(() => 'Dr. [NAME] saw [NAME].').join(' '));
  });

  it('keeps a long URL whole when it ends in a letter after many dots', () => {
    expect(redactPhi(`at http://x${'.'.repeat(50_000)}y now`).text).toBe('at [URL] now');
  });

  it('redacts every name in a long run of title cues', () => {
    expect(redactPhi('Dr. Aa '.repeat(20_000)).text).toBe('Dr. [NAME] '.repeat(20_000));
  });
});
