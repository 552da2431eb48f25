import { matchSpans } from '../matchSpans.js';
import { anyCase } from '../textPatterns.js';
import { Certainty, type PhiDetector } from '../phiTypes.js';

/**
 * Street addresses (number + street name + suffix, with an apartment or suite), PO boxes, and
 * a lone "Apt 4B". City and state stay: Safe Harbor only removes geography below the state, and
 * the ZIP code is handled on its own.
 */

const SUFFIX = anyCase([
  'street', 'st', 'avenue', 'ave', 'av', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive',
  'dr', 'court', 'ct', 'place', 'pl', 'way', 'terrace', 'ter', 'circle', 'cir', 'parkway', 'pkwy',
  'highway', 'hwy', 'trail', 'trl', 'square', 'sq', 'loop', 'alley', 'crescent', 'plaza', 'pike',
  'row', 'path', 'ridge', 'heights', 'hts', 'crossing', 'xing', 'expressway', 'expy', 'turnpike',
  'close', 'mews', 'commons', 'green', 'glen', 'grove', 'hollow', 'landing', 'park', 'point',
]);

const DIRECTION = String.raw`(?:${anyCase([
  'northeast', 'northwest', 'southeast', 'southwest', 'north', 'south', 'east', 'west', 'ne', 'nw',
  'se', 'sw', 'n', 's', 'e', 'w',
])})\.?`;

const UNIT_WORD = anyCase(['apartment', 'apt', 'unit', 'suite', 'ste', 'room', 'rm', 'floor', 'fl', 'building', 'bldg', 'lot']);
const UNIT = String.raw`(?:,?\s{1,3}(?:(?:${UNIT_WORD})\.?\s{0,3}#?|#)\s{0,2}[A-Za-z0-9][A-Za-z0-9-]{0,5}(?![\w-]))?`;

const HOUSE_NUMBER = String.raw`\d{1,6}[A-Za-z]?(?:-\d{1,4})?`;
const PROPER_WORD = String.raw`[A-Z][A-Za-z'’-]{0,24}`;
const ORDINAL_STREET = String.raw`\d{1,3}(?:st|nd|rd|th)`;
const STREET_END = String.raw`(?:${SUFFIX})\.?(?![A-Za-z])(?:\s{1,3}${DIRECTION}(?![A-Za-z]))?${UNIT}`;

/** "4821 North Oak Avenue, Apt 5B", "221 W 34th St": capitalised street names need no more evidence. */
const PROPER = new RegExp(
  String.raw`(?<![\w-])${HOUSE_NUMBER}\s{1,3}(?:${DIRECTION}\s{1,3})?(?:${PROPER_WORD}|${ORDINAL_STREET})(?:\s{1,3}${PROPER_WORD}){0,3}\s{1,3}${STREET_END}`,
  'g',
);

/**
 * "4821 oak avenue": typed in lower case, "a 10 minute drive" and "300 miles down the road" look
 * the same, so it takes a 3+ digit number and no filler words in the name.
 */
const FILLER = String.raw`(?:the|a|an|to|of|on|in|at|my|your|his|her|our|their|down|up|over|under|along|across|per|and|or|for|from|with|by|this|that|mg|mcg|ml|units?|miles?|minutes?|min|hours?|days?|weeks?|times|steps|feet|ft|meters?|calories|people|patients|dollars|bucks|pills|tablets|cars?|blocks?)(?![a-z])`;
const LOWERCASE = new RegExp(
  String.raw`(?<![\w-])\d{3,6}[A-Za-z]?\s{1,3}(?:${DIRECTION}\s{1,3})?(?:(?!${FILLER})[a-z][a-z'’-]{1,24}\s{1,3}){1,3}${STREET_END}`,
  'g',
);

const PO_BOX = /(?<![\w])(?:p\.?\s?o\.?\s?|post\s{1,3}office\s{1,3})box\s{0,3}#?\s{0,2}\d{1,8}(?!\d)/gi;

const LONE_UNIT = new RegExp(
  String.raw`(?<![\w])(?:${anyCase(['apartment', 'apt', 'suite', 'ste'])})\.?\s{0,3}#?\s{0,2}(?=[A-Za-z-]{0,5}\d)[A-Za-z0-9][A-Za-z0-9-]{0,5}(?![\w-])`,
  'g',
);

/** "I live at 42 wallaby way": the cue vouches for an address the shapes above would not trust. */
const STOP_WORD = String.raw`(?:and|but|so|in|with|near|since|for|i|we|my|since|because|until|if|when|then|it|is|was|please)(?![A-Za-z])`;
const AFTER_CUE = new RegExp(
  String.raw`(?<![A-Za-z])(?:live[sd]?\s{1,3}at|living\s{1,3}at|resides?\s{1,3}at|address\s{1,3}is|address:|located\s{1,3}at|staying\s{1,3}at)\s{1,3}(${HOUSE_NUMBER}(?:\s{1,3}(?!${STOP_WORD})[A-Za-z][A-Za-z'’-]{0,24}\.?){1,5}${UNIT})`,
  'gid',
);

export const detectStreetAddresses: PhiDetector = (text) => [
  ...matchSpans(text, PROPER, 'ADDRESS', Certainty.shaped),
  ...matchSpans(text, LOWERCASE, 'ADDRESS', Certainty.shaped),
  ...matchSpans(text, PO_BOX, 'ADDRESS', Certainty.shaped),
  ...matchSpans(text, LONE_UNIT, 'ADDRESS', Certainty.shaped),
  ...matchSpans(text, AFTER_CUE, 'ADDRESS', Certainty.labelled, { group: 1 }),
];
