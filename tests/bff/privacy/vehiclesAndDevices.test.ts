import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('vehicle identifiers', () => {
  it.each([
    ['VIN 1HGCM82633A004352', 'VIN [VEHICLE]'],
    ['the car 1HGCM82633A004352 is mine', 'the car [VEHICLE] is mine'],
    ['license plate 7ABC123', 'license plate [VEHICLE]'],
    ['plate number XYZ 4821, blue van', 'plate number [VEHICLE], blue van'],
    ['tag #: 901 RTP', 'tag #: [VEHICLE]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));
});

describe('device identifiers', () => {
  it.each([
    ['serial number SN-88213-AX', 'serial number [DEVICE]'],
    ['S/N: PX4471-992B', 'S/N: [DEVICE]'],
    ['IMEI 490154203237518', 'IMEI [DEVICE]'],
    ['my old handset 49-015420-323751-8 is lost', 'my old handset [DEVICE] is lost'],
    ['my handset 490154203237518 is lost', 'my handset [DEVICE] is lost'],
    ['phone IMEI: 490154203237518', 'phone IMEI: [DEVICE]'],
    ['MAC 00:1A:2B:3C:4D:5E', 'MAC [DEVICE]'],
    ['pacemaker serial no. MDT44718821', 'pacemaker serial no. [DEVICE]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));

  it.each(['My pump ran out at 3pm.', 'The monitor read 120/80.', 'Serial killers scare me.'])(
    'leaves %j alone',
    (input) => expectUntouched(input),
  );
});
