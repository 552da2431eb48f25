import { matchSpans } from '../matchSpans.js';
import { countDigits } from '../textPatterns.js';
import { Certainty, type PhiCandidate, type PhiDetector } from '../phiTypes.js';
import { isCompactDate } from './dateParts.js';

/**
 * Identifiers recognisable by shape alone, with no label: dashed SSNs, card numbers, IMEIs, VINs,
 * MAC addresses, and — as a catch-all — long digit runs and letter-digit codes, which in a patient
 * message are nearly always some record, member or account number.
 */

const SSN = /(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])/g;
const CARD = /(?<![\w-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}|\d{4}([ -])\d{6}\2\d{5})(?![\w-])/g;
const IMEI_GROUPED = /(?<![\w-])\d{2}[- ]\d{6}[- ]\d{6}[- ]\d(?![\w-])/g;
const VIN = /(?<![A-Za-z0-9])[A-HJ-NPR-Za-hj-npr-z0-9]{17}(?![A-Za-z0-9])/g;
const MAC = /(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])/g;

/** Unbounded on purpose: the look-behind lets each run start once, so a 100k-digit run is one linear match. */
const DIGIT_RUN = /(?<![\d$€£.,])\d{7,}(?![\d])(?![.,]\d)/g;

/**
 * Unbounded like DIGIT_RUN, so an absurdly long code is still one match. A colon after it means a
 * clock time follows ("2023-11-02T08:30"), not an identifier.
 */
const CODE = /(?<![\w-])[A-Za-z0-9][A-Za-z0-9-]{5,}(?![\w:-])/g;
const MEASUREMENT = /^\d+(?:mg|mcg|ml|kg|lbs?|iu|units?|mmhg|mm|cm|km|hrs?|mins?|steps|kcal|mah|gb|mb|kb|hz|khz|mhz|ghz)$/i;

export const detectShapedIdentifiers: PhiDetector = (text) => [
  ...matchSpans(text, SSN, 'SSN', Certainty.shaped),
  ...matchSpans(text, CARD, 'ACCOUNT', Certainty.shaped),
  ...matchSpans(text, IMEI_GROUPED, 'DEVICE', Certainty.shaped),
  ...matchSpans(text, VIN, 'VEHICLE', Certainty.shaped, { accept: isVinShaped }),
  ...matchSpans(text, MAC, 'DEVICE', Certainty.shaped),
  ...digitRuns(text),
  ...matchSpans(text, CODE, 'ID', Certainty.generic, { accept: isLetterDigitCode }),
];

function digitRuns(text: string): PhiCandidate[] {
  return matchSpans(text, DIGIT_RUN, 'ID', Certainty.generic).map((span) => {
    const length = span.end - span.start;
    const value = text.slice(span.start, span.end);
    if (length === 15) return { ...span, type: 'DEVICE', certainty: Certainty.shaped };
    if (length === 8 && isCompactDate(value)) return { ...span, type: 'DATE', certainty: Certainty.shaped };
    return span;
  });
}

function isVinShaped(value: string): boolean {
  const digits = countDigits(value);
  return digits >= 3 && value.length - digits >= 2;
}

/** "XJH123456789" or "A1234567" are identifiers; "COVID-19", "1000mg" and "RTX4090" are not. */
function isLetterDigitCode(value: string): boolean {
  if (countDigits(value) < 5) return false;
  if (!/[A-Za-z]/.test(value)) return false;
  return !MEASUREMENT.test(value);
}
