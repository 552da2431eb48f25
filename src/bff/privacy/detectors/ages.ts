import { matchSpans } from '../matchSpans.js';
import { Certainty, type PhiDetector } from '../phiTypes.js';
import { QUANTITY_UNIT } from '../quantityGuard.js';

/**
 * Ages over 89, which Safe Harbor requires to be folded into "90 or older". Only the number is
 * redacted ("I am [AGE] years old"); ages up to 89 are not identifiers and stay.
 */

const OVER_89 = String.raw`(?:9\d|1[0-2]\d)(?![\d.,]\d|\d)`;

const UNITS = String.raw`(?:one|two|three|four|five|six|seven|eight|nine)`;
const TEENS = String.raw`(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)`;
const OVER_89_WORDS = String.raw`(?:ninety(?:[-\s]${UNITS})?|(?:one|a)\s{1,3}hundred(?:(?:\s{1,3}and)?[-\s](?:${TEENS}|twenty|${UNITS}))?)(?![a-z-])`;

const AGE_VALUE = `(${OVER_89}|${OVER_89_WORDS})`;

/** A person as the subject: "I'm 93", "my grandmother is 97" — not "my temperature is 99". */
const PERSON = String.raw`(?:i|he|she|they|who|patient|pt|mother|father|mom|mum|dad|grandmother|grandfather|grandma|grandpa|granny|nana|grandparent|husband|wife|spouse|partner|aunt|uncle|brother|sister|friend|neighbou?r|client|resident|veteran|gentleman|lady|man|woman)`;
const BE = String.raw`(?:['’]m|\s{1,3}am|['’]s|\s{1,3}is|\s{1,3}was|['’]re|\s{1,3}are|\s{1,3}were|\s{1,3}will\s{1,3}be|\s{1,3}just\s{1,3}turned|\s{1,3}turned|\s{1,3}turns|\s{1,3}is\s{1,3}turning|\s{1,3}is\s{1,3}now|\s{1,3}am\s{1,3}now)`;

const AFTER_PERSON = new RegExp(
  String.raw`(?<![a-z])(?:${PERSON}${BE}|im)\s{1,3}(?:now\s{1,3}|almost\s{1,3}|nearly\s{1,3}|over\s{1,3}|about\s{1,3})?${AGE_VALUE}(?!\s{0,2}(?:/|:)|${QUANTITY_UNIT}(?<!years?|yrs?))`,
  'gid',
);

const AFTER_AGE_WORD = new RegExp(
  String.raw`(?<![a-z])(?:aged?|ages|age\s{1,3}of|at\s{1,3}age|turned|turning|turns|celebrating)(?:\s{0,3}(?:is|was|:|-|=))?\s{0,3}${AGE_VALUE}(?!${QUANTITY_UNIT}(?<!years?|yrs?))`,
  'gid',
);

/** "grandpa (99)", "my father, 94, lives with us": the age set off right after the person. */
const PERSON_THEN_AGE = new RegExp(
  String.raw`(?<![a-z])${PERSON}\s{0,2}[(,]\s{0,2}${AGE_VALUE}\s{0,2}(?:\)|,)`,
  'gid',
);

const BEFORE_YEARS_OLD = new RegExp(
  String.raw`(?<![\w.,-])${AGE_VALUE}(?:[-\s]{0,3}(?:years?|yrs?\.?)[-\s]{1,3}old|[-\s]{0,2}(?:y\.?o\.?|y/o|yo)(?![a-z])|[-\s]{0,3}years?[-\s]{0,3}of\s{1,3}age|(?:st|nd|rd|th)\s{1,3}birthday)`,
  'gid',
);

const DECADE = /(?<![a-z])(?:in\s{1,3}(?:my|his|her|their|our)\s{1,3}|(?:late|mid|early)[-\s]?)(90s|90's|nineties)(?![a-z])/gid;

export const detectAges: PhiDetector = (text) => [
  ...matchSpans(text, AFTER_PERSON, 'AGE', Certainty.shaped, { group: 1 }),
  ...matchSpans(text, PERSON_THEN_AGE, 'AGE', Certainty.shaped, { group: 1 }),
  ...matchSpans(text, AFTER_AGE_WORD, 'AGE', Certainty.shaped, { group: 1 }),
  ...matchSpans(text, BEFORE_YEARS_OLD, 'AGE', Certainty.shaped, { group: 1 }),
  ...matchSpans(text, DECADE, 'AGE', Certainty.shaped, { group: 1 }),
];
