/** Small helpers shared by the detectors' regexes and their after-checks. */

export function countDigits(value: string): number {
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/** Builds an alternation that matches each word in any letter case, for regexes that are otherwise case-sensitive. */
export function anyCase(words: readonly string[]): string {
  return words
    .map((word) =>
      word.replace(/[a-z]/gi, (letter) => `[${letter.toUpperCase()}${letter.toLowerCase()}]`),
    )
    .join('|');
}
