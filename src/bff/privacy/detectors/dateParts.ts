/** Building blocks shared by the date detectors, and the range checks regexes cannot express. */

export const MONTH_NAME = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?`;

export const DAY_OF_MONTH = String.raw`(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w:])`;

export const YEAR = String.raw`(?:(?:1[89]|20)\d{2}|'\d{2})(?!\d)`;

/** True when the numbers could be a month and a day in either US (M/D) or day-first order. */
export function isMonthDay(first: number, second: number): boolean {
  const valid = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31;
  return valid(first, second) || valid(second, first);
}

/** "19620314" (year first) or "03141962" (year last), with plausible month and day. */
export function isCompactDate(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  const yearFirst = Number(value.slice(0, 4));
  if (yearFirst >= 1880 && yearFirst <= 2099 && isMonthDay(Number(value.slice(4, 6)), Number(value.slice(6, 8)))) {
    return true;
  }
  const yearLast = Number(value.slice(4, 8));
  return yearLast >= 1880 && yearLast <= 2099 && isMonthDay(Number(value.slice(0, 2)), Number(value.slice(2, 4)));
}

/** Splits "3/14/62", "1962-03-14" or "14.03.1962" and checks that a month and a day are in it. */
export function isNumericDate(value: string): boolean {
  const parts = value.split(/[/.-]/).map(Number);
  if (parts.length === 2) return isMonthDay(parts[0]!, parts[1]!) || isMonthYear(parts[0]!, parts[1]!);
  if (parts.length !== 3) return false;
  const [a, b, c] = parts as [number, number, number];
  if (a > 31) return isMonthDay(b, c);
  return isMonthDay(a, b);
}

function isMonthYear(month: number, year: number): boolean {
  return month >= 1 && month <= 12 && year >= 1880 && year <= 2099;
}
