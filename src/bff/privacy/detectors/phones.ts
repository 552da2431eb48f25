import { LABEL_SEPARATORS } from '../labelledValue.js';
import { matchSpans } from '../matchSpans.js';
import { countDigits } from '../textPatterns.js';
import { Certainty, type PhiCandidate, type PhiDetector } from '../phiTypes.js';
import { QUANTITY_UNIT } from '../quantityGuard.js';

/** Phone and fax numbers: North American shapes with any separators, international "+" numbers, extensions. */

const EXTENSION = String.raw`(?:\s{0,2}(?:ext\.?|extension|x|#)\s{0,2}\d{1,6}(?!\d))?`;

/** Separators people type between digit groups, dashes of every width and slashes included. */
const SEP = String.raw`[\s./\u2010-\u2015-]{0,2}`;

const NANP = new RegExp(
  String.raw`(?<![\w+/])(?:\+?1${SEP})?(?:\(\s?\d{3}\s?\)|\d{3})${SEP}\d{3}${SEP}\d{4}(?![\d/-])` + EXTENSION,
  'gi',
);

/** Seven-digit local numbers ("555-0142"); the unit guard keeps "100-1200 mg" a dose range. */
const LOCAL = new RegExp(
  String.raw`(?<![\w.$/-])\d{3}[-.]\d{4}(?![\w-]|[.,]\d)(?!${QUANTITY_UNIT})` + EXTENSION,
  'gi',
);

const INTERNATIONAL = new RegExp(
  String.raw`(?<![\w+])\+[2-9]\d{0,2}(?:[\s.-]{0,2}\(\d{1,4}\)|[\s.-]{1,2}\d{1,5}){2,6}(?!\d)` +
    '|' +
    String.raw`(?<![\w+])\+[2-9]\d{7,14}(?!\d)`,
  'g',
);

/** After "phone", "cell", "fax" ... any digit run of phone length is a phone, whatever its grouping. */
const LABEL = new RegExp(
  String.raw`(?<![A-Za-z])(?:phone|tel|telephone|cell(?:\s{1,3}phone)?|mobile|landline|fax|facsimile|pager|beeper|whatsapp|callback|call\s{1,3}back|call\s{1,3}me\s{1,3}(?:at|on)|text\s{1,3}me\s{1,3}(?:at|on)|reach\s{1,3}me\s{1,3}(?:at|on))(?![A-Za-z])${LABEL_SEPARATORS}(\+?\(?\d[\d\s().-]{5,24}\d)`,
  'gid',
);

export const detectPhones: PhiDetector = (text) => {
  const found: PhiCandidate[] = [
    ...matchSpans(text, NANP, 'PHONE', Certainty.shaped),
    ...matchSpans(text, LOCAL, 'PHONE', Certainty.shaped),
    ...matchSpans(text, INTERNATIONAL, 'PHONE', Certainty.shaped, { accept: isPhoneLength }),
    ...matchSpans(text, LABEL, 'PHONE', Certainty.labelled, { group: 1, accept: isPhoneLength }),
  ];
  return found;
};

function isPhoneLength(value: string): boolean {
  const digits = countDigits(value);
  return digits >= 7 && digits <= 15;
}
