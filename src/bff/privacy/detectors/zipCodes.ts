import { matchSpans } from '../matchSpans.js';
import { Certainty, type PhiDetector } from '../phiTypes.js';
import { STATE_CODES, STATE_NAMES } from './usStates.js';

/**
 * ZIP codes. Five bare digits are as often a count or a price as a ZIP, so a 5-digit ZIP needs a
 * state before it or a "zip" label; ZIP+4 ("62704-1234") is distinctive enough alone.
 */

const ZIP = String.raw`\d{5}(?:-\d{4})?(?![\w-])`;

/** State codes are matched case-sensitively, or "in 46201" would read as Indiana. */
const AFTER_STATE_CODE = new RegExp(
  String.raw`(?<![A-Za-z])(?:${STATE_CODES.join('|')})\.?,?\s{1,3}(${ZIP})`,
  'gd',
);

const AFTER_STATE_NAME = new RegExp(
  String.raw`(?<![a-z])(?:${STATE_NAMES.map((name) => name.replace(/ /g, String.raw`\s{1,3}`)).join('|')}),?\s{1,3}(${ZIP})`,
  'gid',
);

const LABELLED = new RegExp(
  String.raw`(?<![a-z])(?:zip|zip\s{0,3}code|zipcode|postal\s{1,3}code|post\s{0,3}code)(?:\s{0,3}(?:is|was|:|#|-|=))?\s{0,3}(${ZIP})`,
  'gid',
);

const ZIP_PLUS_4 = /(?<![\w-])\d{5}-\d{4}(?![\w-])/g;

export const detectZipCodes: PhiDetector = (text) => [
  ...matchSpans(text, AFTER_STATE_CODE, 'ZIP', Certainty.shaped, { group: 1 }),
  ...matchSpans(text, AFTER_STATE_NAME, 'ZIP', Certainty.shaped, { group: 1 }),
  ...matchSpans(text, LABELLED, 'ZIP', Certainty.labelled, { group: 1 }),
  ...matchSpans(text, ZIP_PLUS_4, 'ZIP', Certainty.shaped),
];
