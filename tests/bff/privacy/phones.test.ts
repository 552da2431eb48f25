import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('phone and fax numbers', () => {
  it.each([
    ['call 617-555-0134', 'call [PHONE]'],
    ['call (617) 555-0134 today', 'call [PHONE] today'],
    ['call 617.555.0134', 'call [PHONE]'],
    ['call 617 555 0134', 'call [PHONE]'],
    ['call +1 617 555 0134', 'call [PHONE]'],
    ['call 1-617-555-0134', 'call [PHONE]'],
    ['call 6175550134', 'call [PHONE]'],
    ['call +1 (617) 555-0134.', 'call [PHONE].'],
    ['office 617-555-0134 ext. 221, ask for billing', 'office [PHONE], ask for billing'],
    ['desk (617)555-0134 x45', 'desk [PHONE]'],
    ['fax: 617-555-0199', 'fax: [PHONE]'],
    ['Fax 617 555 0199', 'Fax [PHONE]'],
    ['my cell: 555 0142 22', 'my cell: [PHONE]'],
    ['local 555-0142 works', 'local [PHONE] works'],
    ['UK mobile +44 20 7946 0958', 'UK mobile [PHONE]'],
    ['call 617–555–0134 now', 'call [PHONE] now'],
    ['best number: 617/555/0134', 'best number: [PHONE]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));

  it.each([
    'Take 100-1200 mg as needed.',
    'Call 911 now.',
    'I walked 10,000 steps.',
    'Between 2019-2021 I had 3 surgeries.',
    'Dial 988 for the crisis line.',
  ])('leaves %j alone', (input) => expectUntouched(input));
});
