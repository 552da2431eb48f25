import { countDigits } from './textPatterns.js';

/**
 * Reads the identifier that follows a label such as "member ID:" — the part a regex cannot say
 * cheaply: how many space-separated groups belong to it ("XYZ 4821", "0012 3345 99") and where the
 * sentence resumes ("... 00482913 and my ..."). Scans forward once, so it stays linear.
 */

/** Separators that may sit between a label and its value: "number", "no.", "#", "is", ":" ... */
export const LABEL_SEPARATORS =
  String.raw`(?:\s{0,3}(?:numbers?\b|nums?\b|nbr\b|no\.|no\b|#|ids?\b|identifiers?\b|is\b|are\b|was\b|:|=|-|ending\s{1,3}(?:in|with)\b|ends\s{1,3}(?:in|with)\b)){0,4}\s{0,3}`;

const GROUP = /[A-Za-z0-9](?:[A-Za-z0-9]|[-./:](?=[A-Za-z0-9])){0,39}/y;
const MAX_GROUPS = 4;

export interface ValueRule {
  /** Digits the value must hold to count as an identifier and not a word or a quantity. */
  minDigits: number;
  /** Letters and digits the value must hold in all. */
  minLength: number;
  /** Plates end in letters ("901 RTP"); other identifiers followed by "ASAP" do not. */
  keepTrailingLetters?: boolean;
}

export function readLabelledValue(
  text: string,
  from: number,
  rule: ValueRule,
): { start: number; end: number } | null {
  const groups: Array<{ start: number; end: number; digits: number }> = [];
  let cursor = from;
  while (groups.length < MAX_GROUPS) {
    GROUP.lastIndex = cursor;
    const match = GROUP.exec(text);
    if (!match) break;
    const value = match[0];
    const digits = countDigits(value);
    const end = cursor + value.length;
    if (isWordChar(text.charCodeAt(end))) break;
    if (digits === 0 && !isCodeLetters(value)) break;
    groups.push({ start: cursor, end, digits });
    // A single space joins groups ("0012 3345 99"); anything else ends the value.
    if (text[end] !== ' ') break;
    cursor = end + 1;
  }
  // Trailing letter-only groups ("... 4821 ASAP") are words, not part of the identifier.
  while (groups.length > 0 && groups[groups.length - 1]!.digits === 0) {
    if (rule.keepTrailingLetters && groups.some((group) => group.digits > 0)) break;
    groups.pop();
  }
  const first = groups[0];
  const last = groups[groups.length - 1];
  if (!first || !last) return null;
  const value = text.slice(first.start, last.end);
  const digits = groups.reduce((sum, group) => sum + group.digits, 0);
  const alnum = value.replace(/[^A-Za-z0-9]/g, '').length;
  if (digits < rule.minDigits || alnum < rule.minLength) return null;
  return { start: first.start, end: last.end };
}

/** Upper-case letter runs such as the "XYZ" of plate "XYZ 4821" may lead an identifier. */
function isCodeLetters(value: string): boolean {
  return value.length <= 4 && /^[A-Z]+$/.test(value);
}

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
  );
}
