import { LABEL_SEPARATORS } from '../labelledValue.js';
import { matchSpans } from '../matchSpans.js';
import { Certainty, type PhiDetector } from '../phiTypes.js';
import { QUANTITY_UNIT } from '../quantityGuard.js';
import { DAY_OF_MONTH, MONTH_NAME, YEAR, isCompactDate, isNumericDate } from './dateParts.js';

/**
 * Dates more precise than a year: numeric ("3/14/62", "1962-03-14", "14.03.1962"), written
 * ("March 14, 1962", "14th of March", "Mar 14th"), month-and-year ("March 1962"), and compact or
 * odd formats after a birth-date label. A year alone is not an identifier and stays.
 */

const NOT_A_DOSE = `(?!${QUANTITY_UNIT})`;

const MONTH_FIRST = new RegExp(
  String.raw`(?<![a-z])${MONTH_NAME}\s{0,3}(?:the\s{1,3})?${DAY_OF_MONTH}(?:,?\s{0,3}(?:of\s{1,3})?${YEAR})?${NOT_A_DOSE}`,
  'gi',
);

const DAY_FIRST = new RegExp(
  String.raw`(?<![\w/.-])${DAY_OF_MONTH}\s{0,3}(?:of\s{1,3})?${MONTH_NAME}(?:,?\s{0,3}${YEAR})?`,
  'gi',
);

const MONTH_YEAR = new RegExp(String.raw`(?<![a-z])${MONTH_NAME},?\s{0,3}(?:of\s{1,3})?${YEAR}`, 'gi');

/** Clock times and ISO timestamps may follow a date ("1962-03-14T10:00"); more digits may not. */
const DATE_END = String.raw`(?![\d/-]|[.:]\d|(?!T\d)[A-Za-z_])`;

/** Month/day/year in either order; a dotted date needs a 4-digit year, or "2.4.10" would be one. */
const NUMERIC_FULL = new RegExp(
  String.raw`(?<![\w/.-])(?:\d{1,2}([/-])\d{1,2}\1(?:\d{4}|\d{2})|\d{1,2}\.\d{1,2}\.(?:1[89]|20)\d{2}|(?:1[89]|20)\d{2}([/.-])\d{1,2}\2\d{1,2})${DATE_END}`,
  'g',
);

/** "03/2019": no dose is written over a four-digit year. */
const NUMERIC_MONTH_YEAR = new RegExp(String.raw`(?<![\w/.-])(?:0?[1-9]|1[0-2])/(?:1[89]|20)\d{2}${DATE_END}`, 'g');

/**
 * "on 3/14", "scheduled for 3/14": a slash date without a year only after a word that introduces a
 * date, and not before a unit or "of", because on its own "1/2" is half a tablet.
 */
const NUMERIC_SHORT = new RegExp(
  String.raw`(?<=\b(?:on|by|since|until|till|til|from|before|after|starting|through|thru|due|dated|date|dob|born|birthday|appt|appointment|visit|surgery|admitted|discharged|seen|last|next|for|to|mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday)[.,]?\s{1,3})\d{1,2}/\d{1,4}(?![\w/]|[.:]\d)${NOT_A_DOSE}(?!\s{0,2}(?:of|the|a|an|to|or)\b)`,
  'gi',
);

/**
 * "can I come 12/12?": with no cue, a slash pair is still a date when it reads as month/day and
 * the second number is not a usual denominator — fractions are halves, thirds, quarters and
 * eighths of a tablet, and "7/10" is a pain score.
 */
const NUMERIC_BARE = new RegExp(
  String.raw`(?<![\w/.:$-])(?:0?[1-9]|1[0-2])/(?:0?[5-79]|1[1-9]|2\d|3[01])(?![\w/]|[.:]\d)${NOT_A_DOSE}(?!\s{0,2}(?:of|the|a|an|to|or|out)\b)`,
  'gi',
);

/** After a birth-date label any date-ish token counts: "DOB 031462", "born 3.14.62". */
const BIRTH_LABEL = new RegExp(
  String.raw`(?<![a-z])(?:dob|d\.o\.b\.?|date\s{1,3}of\s{1,3}birth|birth\s{0,3}date|birthday|born(?:\s{1,3}on)?)(?![a-z])${LABEL_SEPARATORS}(\d{6}|\d{8}|\d{1,4}[./-]\d{1,2}[./-]\d{2,4})(?![\w/.-])`,
  'gid',
);

export const detectDates: PhiDetector = (text) => [
  ...matchSpans(text, MONTH_FIRST, 'DATE', Certainty.shaped),
  ...matchSpans(text, DAY_FIRST, 'DATE', Certainty.shaped, { accept: isNotModalMay }),
  ...matchSpans(text, MONTH_YEAR, 'DATE', Certainty.shaped),
  ...matchSpans(text, NUMERIC_FULL, 'DATE', Certainty.shaped, { accept: isNumericDate }),
  ...matchSpans(text, NUMERIC_MONTH_YEAR, 'DATE', Certainty.shaped),
  ...matchSpans(text, NUMERIC_SHORT, 'DATE', Certainty.shaped, { accept: isNumericDate }),
  ...matchSpans(text, NUMERIC_BARE, 'DATE', Certainty.shaped),
  ...matchSpans(text, BIRTH_LABEL, 'DATE', Certainty.labelled, { group: 1, accept: isBirthValue }),
];

function isBirthValue(value: string): boolean {
  if (/^\d{8}$/.test(value)) return isCompactDate(value);
  return true;
}

/** "I think 1 may help" is a verb; "1 May" and "1st may" are dates. */
function isNotModalMay(value: string): boolean {
  return !/^\d{1,2}\s{1,3}(?:of\s{1,3})?(?:may|march|mar)$/.test(value);
}
