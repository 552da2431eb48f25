import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('email addresses', () => {
  it.each([
    ['write to t.nakamura@example.org please', 'write to [EMAIL] please'],
    ['Email: Jo.Ann+labs@mail.example.co.uk.', 'Email: [EMAIL].'],
    ['reach me at kwame [at] example [dot] net', 'reach me at [EMAIL]'],
    ['send it to lulu at example dot com', 'send it to [EMAIL]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));
});

describe('URLs', () => {
  it.each([
    ['see https://portal.example.com/p/8812?x=1.', 'see [URL].'],
    ['my page (http://example.org/~ana) has photos', 'my page ([URL]) has photos'],
    ['go to www.example.net/u/77', 'go to [URL]'],
    ['it is at mychart.example.health/visit/9', 'it is at [URL]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));
});

describe('IP addresses', () => {
  it.each([
    ['blocked from 203.0.113.77 again', 'blocked from [IP] again'],
    ['from 198.51.100.4:8443', 'from [IP]'],
    ['v6 2001:db8::8a2e:370:7334 failed', 'v6 [IP] failed'],
    ['full 2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'full [IP]'],
    ['mapped ::ffff:192.0.2.128 too', 'mapped [IP] too'],
    ['link-local fe80::1ff:fe23:4567:890a%eth0', 'link-local [IP]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));

  it.each([
    'The firmware is version 10.0.1.2 now.',
    'The dose ratio is 1:1000.',
    'We met at 10:30:45 sharp.',
    'Pi is 3.14159 and e is 2.718.',
    'i.e. the usual dose, e.g. two pills.',
  ])('leaves %j alone', (input) => expectUntouched(input));
});
