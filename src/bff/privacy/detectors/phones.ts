import { LABEL_SEPARATORS } from '../labelledValue.js';
import { countDigits, matchSpans } from '../matchSpans.js';
import { Certainty, type PhiCandidate, type PhiDetector } from '../phiTypes.js';
import { QUANTITY_UNIT } from '../quantityGuard.js';

/** Phone and fax numbers: North American shapes with any separators, international "+" numbers, extensions. */

const EXTENSION = String.raw`(?:\s{0,2}(?:ext\.?|extension|x|#)\s{0,2}\d{1,6}(?!\d))?`;

const NANP = new RegExp(
  String.raw`(?<![\w+])(?:\+?1[\s.-]{0,2})?(?:\(\s?\d{3}\s?\)|\d{3})[\s.-]{0,2}\d{3}[\s.-]{0,2}\d{4}(?![\d-])` + EXTENSION,
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
  String.raw`(?<![A-Za-z])(?:phone|tel|telephone|cell(?:\s+phone)?|mobile|landline|fax|facsimile|pager|beeper|whatsapp|callback|call\s+back|call\s+me\s+(?:at|on)|text\s+me\s+(?:at|on)|reach\s+me\s+(?:at|on))(?![A-Za-z])${LABEL_SEPARATORS}(\+?\(?\d[\d\s().-]{5,24}\d)`,
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
