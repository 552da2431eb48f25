import { Certainty, type PhiCandidate, type PhiDetector } from '../phiTypes.js';
import { BEFORE_RECORD_CUE, CUES, SIGN_OFF, type CueStrength } from './nameCues.js';
import { NAME_PARTICLES, NOT_A_CAPITALISED_NAME, NOT_A_LOWER_CASE_NAME } from './nameLexicon.js';

/**
 * Person names, found from the context that announces them ("my name is", "Dr.", "this is ...
 * calling", "signed,"). A name without any cue cannot be told from an ordinary capitalised word,
 * with one exception: once a name is found, its other occurrences in the same text are redacted too.
 */

const CAPITALISED_WORD = /\p{Lu}(?:['’]\p{Lu})?\p{Ll}{1,24}(?:\p{Lu}\p{Ll}{1,24})?(?:-\p{Lu}\p{Ll}{1,24})?/uy;
const LOWER_CASE_WORD = /\p{Ll}[\p{Ll}'’-]{0,24}\p{Ll}/uy;
const INITIAL = /\p{Lu}\.?(?=\s{1,2}\p{Lu})/uy;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MAX_WORDS = 4;
const WORD = /[\p{L}\p{N}]+/gu;

export const detectNames: PhiDetector = (text) => {
  const found: PhiCandidate[] = [];
  for (const { strength, pattern } of CUES) {
    for (const match of text.matchAll(pattern)) {
      const span = readName(text, match.index + match[0].length, strength);
      if (span) found.push(strength === 'statement' ? withInvertedPart(text, span) : span);
    }
  }
  for (const pattern of [BEFORE_RECORD_CUE, SIGN_OFF]) {
    for (const match of text.matchAll(pattern)) {
      const range = match.indices?.[1];
      const span = range && trimLeadingCommonWords(text, range[0], range[1]);
      if (span) found.push(span);
    }
  }
  return [...found, ...otherOccurrences(text, found)];
};

/**
 * Reads up to four name words from `from`. A statement cue ("my name is") accepts lower-case
 * words; every cue stops at a word that is common English rather than a name.
 */
function readName(text: string, from: number, strength: CueStrength): PhiCandidate | null {
  let cursor = from;
  let start = -1;
  let end = -1;
  for (let count = 0; count < MAX_WORDS; count++) {
    const word = wordAt(text, cursor, strength, count === 0);
    if (!word) break;
    if (start < 0) start = cursor;
    end = cursor + word.length;
    const gap = /^ {1,2}/.exec(text.slice(end, end + 2));
    if (!gap) break;
    cursor = end + gap[0].length;
  }
  if (start < 0) return null;
  return { type: 'NAME', start, end, certainty: Certainty.shaped };
}

function wordAt(text: string, at: number, strength: CueStrength, first: boolean): string | null {
  const capitalised = stickyMatch(CAPITALISED_WORD, text, at);
  if (capitalised) return isNameWord(capitalised, strength, first) ? capitalised : null;
  if (!first) {
    const initial = stickyMatch(INITIAL, text, at);
    if (initial) return initial;
    const particle = stickyMatch(LOWER_CASE_WORD, text, at);
    if (particle && NAME_PARTICLES.has(particle) && /^ \p{Lu}/u.test(text.slice(at + particle.length, at + particle.length + 2))) {
      return particle;
    }
  }
  if (strength !== 'statement') return null;
  const lower = stickyMatch(LOWER_CASE_WORD, text, at);
  return lower && !NOT_A_LOWER_CASE_NAME.has(lower) ? lower : null;
}

/**
 * After a title or a name statement the first word only has to not be a function word, so
 * "Dr. May" and "my name is Hope" survive; after a mere mention every common word is refused.
 */
function isNameWord(word: string, strength: CueStrength, first: boolean): boolean {
  if (first && strength !== 'mention') return !NOT_A_LOWER_CASE_NAME.has(word.toLowerCase());
  return !NOT_A_CAPITALISED_NAME.has(word);
}

/** "Name: García, Lucía": after a name statement, "Last, First" is one name. */
function withInvertedPart(text: string, name: PhiCandidate): PhiCandidate {
  if (text.slice(name.end, name.end + 2) !== ', ') return name;
  const rest = readName(text, name.end + 2, 'mention');
  return rest ? { ...name, end: rest.end } : name;
}

/** The whole word at `at`, or null when the pattern stops inside a longer word. */
function stickyMatch(pattern: RegExp, text: string, at: number): string | null {
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  if (!match) return null;
  const next = text.charAt(at + match[0].length);
  return next !== '' && LETTER_OR_DIGIT.test(next) ? null : match[0];
}

function trimLeadingCommonWords(text: string, start: number, end: number): PhiCandidate | null {
  let cursor = start;
  for (const word of text.slice(start, end).split(/(\s+)/)) {
    if (word.trim() !== '' && !NOT_A_CAPITALISED_NAME.has(word)) break;
    cursor += word.length;
  }
  return cursor < end ? { type: 'NAME', start: cursor, end, certainty: Certainty.shaped } : null;
}

/**
 * "My name is Anna Reyes ... Anna has a rash": the second "Anna" has no cue but is the same name.
 * Words are looked up in a set rather than joined into a regex, so a text with thousands of
 * distinct names stays linear.
 */
function otherOccurrences(text: string, names: readonly PhiCandidate[]): PhiCandidate[] {
  const known = new Set<string>();
  for (const name of names) {
    for (const part of text.slice(name.start, name.end).split(/[\s'’.-]+/)) {
      if (part.length >= 3 && !NAME_PARTICLES.has(part) && !NOT_A_CAPITALISED_NAME.has(part)) known.add(part);
    }
  }
  if (known.size === 0) return [];
  const found: PhiCandidate[] = [];
  for (const match of text.matchAll(WORD)) {
    if (known.has(match[0])) {
      found.push({ type: 'NAME', start: match.index, end: match.index + match[0].length, certainty: Certainty.shaped });
    }
  }
  return found;
}
