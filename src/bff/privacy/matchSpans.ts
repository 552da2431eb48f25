import type { CertaintyLevel, PhiCandidate, PhiType } from './phiTypes.js';

/**
 * Every match of a global regex as a candidate. With `group`, the span is that capture group
 * (the regex needs the `d` flag), so a cue like "aged " can anchor a match without being redacted.
 * `accept` lets a detector veto a match after a check too awkward for a regex (date ranges, digit
 * counts); it receives the matched span's text.
 */
export function matchSpans(
  text: string,
  pattern: RegExp,
  type: PhiType,
  certainty: CertaintyLevel,
  options: { group?: number; accept?: (value: string) => boolean } = {},
): PhiCandidate[] {
  const found: PhiCandidate[] = [];
  for (const match of text.matchAll(pattern)) {
    let start = match.index;
    let end = start + match[0].length;
    if (options.group !== undefined) {
      const range = match.indices?.[options.group];
      if (!range) continue;
      [start, end] = range;
    }
    if (end <= start) continue;
    if (options.accept && !options.accept(text.slice(start, end))) continue;
    found.push({ type, start, end, certainty });
  }
  return found;
}
