import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('street addresses', () => {
  it.each([
    ['I live at 4821 North Oak Avenue, Apt 5B.', 'I live at [ADDRESS].'],
    ['send to 77 Elm St Unit 3', 'send to [ADDRESS]'],
    ['1600 W Maple Rd Suite 200 is the office', '[ADDRESS] is the office'],
    ['we are at 221 W 34th St', 'we are at [ADDRESS]'],
    ['deliver to 8812 walnut drive', 'deliver to [ADDRESS]'],
    ['I live at 42 wallaby way, near the park', 'I live at [ADDRESS], near the park'],
    ['PO Box 4411', '[ADDRESS]'],
    ['mail to p.o. box 12', 'mail to [ADDRESS]'],
    ['my apt #4B has mold', 'my [ADDRESS] has mold'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));

  it.each([
    "It's a 10 minute drive.",
    'I drove 300 miles down the road.',
    'Room 412 on the 3rd floor.',
    'Walk 2 blocks to the main entrance.',
    'We have 3 Tylenol left.',
  ])('leaves %j alone', (input) => expectUntouched(input));
});

describe('ZIP codes', () => {
  it.each([
    ['Springfield, IL 62704', 'Springfield, IL [ZIP]'],
    ['Austin, Texas 78701', 'Austin, Texas [ZIP]'],
    ['zip code is 02139', 'zip code is [ZIP]'],
    ['ZIP: 60614-3321', 'ZIP: [ZIP]'],
    ['it is 60614-3321 I think', 'it is [ZIP] I think'],
  ])('redacts %j and keeps city and state', (input, expected) => expectRedaction(input, expected));

  it.each(['I walked 12000 steps.', 'The bill was $15000.', 'in 46201 cases'])('leaves %j alone', (input) =>
    expectUntouched(input),
  );
});
