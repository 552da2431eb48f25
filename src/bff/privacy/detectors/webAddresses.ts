import { matchSpans } from '../matchSpans.js';
import { Certainty, type PhiCandidate, type PhiDetector } from '../phiTypes.js';

/** URLs: with a scheme, starting "www.", or a bare host under a common top-level domain. */

/** Unbounded on purpose: nothing follows the run, so it never backtracks, and a long URL is never cut in two. */
const WITH_SCHEME = /(?<![\w])(?:https?|ftps?|sftp):\/\/[^\s<>"'`{}|\\^[\]]+/gi;
const WWW = /(?<![\w.@-])www\.[^\s<>"'`{}|\\^[\]]+/gi;

const TLD =
  'com|org|net|edu|gov|mil|int|io|health|healthcare|clinic|care|hospital|doctor|info|biz|us|co|me|app|ly|online|site|dev|ai|uk|ca|au|de|fr|eu|in|link|page|portal';
const BARE_HOST = new RegExp(
  String.raw`(?<![\w@.-])(?:[a-z0-9][a-z0-9-]{0,62}\.){1,6}(?:${TLD})(?![\w-]|\.[a-z0-9])(?::\d{1,5})?(?:/[^\s<>"'\x60{}|\\^[\]]*)?`,
  'gi',
);

const TRAILING_PUNCTUATION: ReadonlySet<string> = new Set([...'.,;:!?\'")]}>']);

export const detectWebAddresses: PhiDetector = (text) => {
  const spans: PhiCandidate[] = [
    ...matchSpans(text, WITH_SCHEME, 'URL', Certainty.shaped),
    ...matchSpans(text, WWW, 'URL', Certainty.shaped),
    ...matchSpans(text, BARE_HOST, 'URL', Certainty.shaped),
  ];
  return spans.map((span) => trimSentencePunctuation(text, span));
};

/**
 * A URL at the end of a sentence swallows the full stop or closing bracket; these belong to the
 * prose, except a ")" whose "(" is inside the URL (Wikipedia-style paths). Scans backwards, since
 * a regex anchored at the end would retry from every position of a long URL.
 */
function trimSentencePunctuation(text: string, span: PhiCandidate): PhiCandidate {
  let end = span.end;
  while (end > span.start && TRAILING_PUNCTUATION.has(text.charAt(end - 1))) end--;
  if (end < span.end && text.charAt(end) === ')') {
    const body = text.slice(span.start, end);
    if (body.includes('(') && !body.includes(')')) end++;
  }
  return { ...span, end };
}
