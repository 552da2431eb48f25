import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('dates', () => {
  it.each([
    ['DOB 03/14/1962', 'DOB [DATE]'],
    ['born 3-14-62', 'born [DATE]'],
    ['date of birth: 1962-03-14', 'date of birth: [DATE]'],
    ['I was born March 14, 1962.', 'I was born [DATE].'],
    ['born 14 March 1962 in Leeds', 'born [DATE] in Leeds'],
    ['my appointment is Mar 14th', 'my appointment is [DATE]'],
    ['born on the 14th of March', 'born on the [DATE]'],
    ['seen on 7/4 for chest pain', 'seen on [DATE] for chest pain'],
    ['admitted 2023-11-02T08:30 to the ward', 'admitted [DATE]T08:30 to the ward'],
    ['DOB 031462', 'DOB [DATE]'],
    ['dob: 19620314', 'dob: [DATE]'],
    ['last period started 12.01.2024', 'last period started [DATE]'],
    ['diagnosed in June 2021', 'diagnosed in [DATE]'],
    ['on sept 3rd i felt faint', 'on [DATE] i felt faint'],
    ['since 04/2022 the pain is worse', 'since [DATE] the pain is worse'],
    ['Surgery was Dec. 2, 2019.', 'Surgery was [DATE].'],
    ['the 2nd of May', 'the [DATE]'],
    ['an appointment Thursday 4/18 at 2:15pm', 'an appointment Thursday [DATE] at 2:15pm'],
    ['can I come 12/12?', 'can I come [DATE]?'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));

  it.each([
    'I was born in 1962.',
    'Take 1/2 tablet twice a day.',
    'Blood pressure 120/80 at 3pm.',
    'Come at 10:30 or 14:00.',
    'The app is version 2.4.10.',
    'I may feel dizzy after 2 doses.',
    'March is allergy season.',
    'Take 3/4 cup of water with it.',
    'I had 2-3 episodes between 2019 and 2021.',
    'Open 24/7 including holidays.',
    'My pain is 7/10 today.',
    'Add 1/8 teaspoon of salt.',
    'I have 20/20 vision and a 50/50 chance.',
    'I finished 2/3 of the course.',
  ])('leaves %j alone', (input) => expectUntouched(input));
});
