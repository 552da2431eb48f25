import { matchSpans } from '../matchSpans.js';
import { Certainty, type PhiDetector } from '../phiTypes.js';

/** Email addresses, including the "name [at] host [dot] com" forms people type to dodge spam filters. */

const PLAIN = /(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![\w-])/g;

const BRACKETED =
  /(?<![\w.+-])[\w.+-]{1,64}\s?[[({]at[\])}]\s?[\w-]{1,63}(?:\s?(?:[[({]dot[\])}]|\.)\s?[\w-]{1,63}){1,4}/gi;

const SPELLED_OUT =
  /(?<![\w.+-])[\w.+-]{1,64} at [\w-]{1,63}(?: dot [\w-]{1,63}){0,3} dot (?:com|org|net|edu|gov|io|us|co|info|me|biz)(?![\w-])/gi;

export const detectEmails: PhiDetector = (text) => [
  ...matchSpans(text, PLAIN, 'EMAIL', Certainty.shaped),
  ...matchSpans(text, BRACKETED, 'EMAIL', Certainty.shaped),
  ...matchSpans(text, SPELLED_OUT, 'EMAIL', Certainty.shaped),
];
