import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('names', () => {
  it.each([
    ['Hi, my name is Priya Raman and I have a rash.', 'Hi, my name is [NAME] and I have a rash.'],
    ['my name is tobias grünewald, need a refill', 'my name is [NAME], need a refill'],
    ["I'm Fatima, the patient's daughter.", "I'm [NAME], the patient's daughter."],
    ['This is Gregory Vance calling about a bill.', 'This is [NAME] calling about a bill.'],
    ['patient Lena Kowalczyk has a fever', 'patient [NAME] has a fever'],
    ['Please ask Dr. Okonkwo to review it.', 'Please ask Dr. [NAME] to review it.'],
    ['Mrs. Abernathy-Cole needs a ride.', 'Mrs. [NAME] needs a ride.'],
    ['Mr. Li and Ms. Duarte are both waiting.', 'Mr. [NAME] and Ms. [NAME] are both waiting.'],
    ['Signed, Harold B. Finch', 'Signed, [NAME]'],
    ['Thanks so much.\nSincerely,\nEleanor Vance', 'Thanks so much.\nSincerely,\n[NAME]'],
    ['My husband Rodrigo fell down the stairs.', 'My husband [NAME] fell down the stairs.'],
    ["My son's name is Kai and he is 4.", "My son's name is [NAME] and he is 4."],
    ['Full name: Imogen Rees-Mogg', 'Full name: [NAME]'],
    ['Dr. McKenzie and Dr. O’Neill agreed.', 'Dr. [NAME] and Dr. [NAME] agreed.'],
    ['Bernard Okafor, DOB 04/11/1950, needs a refill.', '[NAME], DOB [DATE], needs a refill.'],
    ['see you soon - Marisol', 'see you soon - [NAME]'],
    ['My name is Nadia. Nadia is allergic to latex.', 'My name is [NAME]. [NAME] is allergic to latex.'],
    ['Regards, Quentin', 'Regards, [NAME]'],
    ['Name: García, Lucía', 'Name: [NAME]'],
    ['Patient is Robert J. Kline Jr.', 'Patient is [NAME].'],
  ])('redacts the name announced in %j', (input, expected) => expectRedaction(input, expected));

  it.each([
    "I'm Sorry, I missed the call.",
    "I'm Feeling worse today.",
    'This is Tuesday, right?',
    'Thanks, I will call back.',
    'Hi there, quick question.',
    'Hello Doctor, is the lab open?',
    'I have MS and need a wheelchair.',
    'my name is on the waiting list',
    'Patient Portal login is broken.',
  ])('leaves %j alone: the word after the cue is not a name', (input) => expectUntouched(input));
});
