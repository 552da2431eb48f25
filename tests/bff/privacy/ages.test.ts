import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('ages over 89', () => {
  it.each([
    ['I am 93', 'I am [AGE]'],
    ["I'm 91 and live alone.", "I'm [AGE] and live alone."],
    ['she is 93 years old', 'she is [AGE] years old'],
    ['aged 91, lives with her son', 'aged [AGE], lives with her son'],
    ['a 95-year-old man with a cough', 'a [AGE]-year-old man with a cough'],
    ['Age: 102', 'Age: [AGE]'],
    ['my grandmother is 97', 'my grandmother is [AGE]'],
    ['He turned 100 in May.', 'He turned [AGE] in May.'],
    ['a 99 y/o female', 'a [AGE] y/o female'],
    ['she is ninety-six years old', 'she is [AGE] years old'],
    ['in his 90s', 'in his [AGE]'],
    ['her 104th birthday party', 'her [AGE]th birthday party'],
    ['grandpa (99) is coming', 'grandpa ([AGE]) is coming'],
    ['my father, 94, lives with us', 'my father, [AGE], lives with us'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));

  it.each([
    'I am 45',
    'my father is 89 years old',
    'a 67-year-old woman',
    'My temperature is 99.',
    'my glucose was 110',
    "I'm 90 minutes away.",
    'I am 95% sure.',
    'Heart rate 96 bpm.',
  ])('leaves %j alone', (input) => expectUntouched(input));
});
