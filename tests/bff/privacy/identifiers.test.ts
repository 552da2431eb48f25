import { describe, it } from 'vitest';
import { expectRedaction, expectUntouched } from './redactCases.js';

describe('SSNs', () => {
  it.each([
    ['SSN 078-05-1120', 'SSN [SSN]'],
    ['my social is 078 05 1120', 'my social is [SSN]'],
    ['social security number: 078051120', 'social security number: [SSN]'],
    ['it is 078-05-1120 I think', 'it is [SSN] I think'],
    ['last 4 of SSN: 1120', 'last 4 of SSN: [SSN]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));
});

describe('medical record numbers', () => {
  it.each([
    ['MRN: 00482913', 'MRN: [MRN]'],
    ['medical record number A7731204', 'medical record number [MRN]'],
    ['MR# 77-1123-4 on the wristband', 'MR# [MRN] on the wristband'],
    ['chart no. 5512093', 'chart no. [MRN]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));
});

describe('health-plan numbers', () => {
  it.each([
    ['member ID: XJH882910441', 'member ID: [HEALTH_PLAN]'],
    ['policy # POL-88213-22', 'policy # [HEALTH_PLAN]'],
    ['group number 004417', 'group number [HEALTH_PLAN]'],
    ['Medicare ID 1EG4-TE5-MK72', 'Medicare ID [HEALTH_PLAN]'],
    ['subscriber number is W998877665', 'subscriber number is [HEALTH_PLAN]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));
});

describe('account numbers', () => {
  it.each([
    ['account number 0012-3345-99', 'account number [ACCOUNT]'],
    ['acct #ACCT-77123', 'acct #[ACCOUNT]'],
    ['card ending in 4421', 'card ending in [ACCOUNT]'],
    ['paid with 4111 1111 1111 1111', 'paid with [ACCOUNT]'],
    ['invoice no. 55-100293', 'invoice no. [ACCOUNT]'],
  ])('redacts %j', (input, expected) => expectRedaction(input, expected));
});

describe('licence and certificate numbers', () => {
  it.each([
    ["driver's license D123-4567-8901", "driver's license [LICENSE]"],
    ['DL# B7729104', 'DL# [LICENSE]'],
    ['DEA number AB1234563', 'DEA number [LICENSE]'],
    ['NPI 1234567893', 'NPI [LICENSE]'],
    ['certificate number CERT-2291-77', 'certificate number [LICENSE]'],
    ['licence no. 40-11873', 'licence no. [LICENSE]'],
  ])('redacts %j and the label decides the type', (input, expected) => expectRedaction(input, expected));
});

describe('other labelled identification numbers', () => {
  it.each([
    ['Tax ID 12-3456789', 'Tax ID [ID]'],
    ['my EIN is 98-7654321', 'my EIN is [ID]'],
    ['ID number: K-4471902', 'ID number: [ID]'],
  ])('redacts %j as a generic identifier', (input, expected) => expectRedaction(input, expected));
});

describe('unlabelled identifier-shaped numbers', () => {
  it.each([
    ['the number 884412093 on the letter', 'the number [ID] on the letter'],
    ['the code XJH123456789 on the letter', 'the code [ID] on the letter'],
    ['printed 20240314 on the bottle', 'printed [DATE] on the bottle'],
    ['card number 884412093', 'card number [ACCOUNT]'],
  ])('redacts %j as a generic identifier', (input, expected) => expectRedaction(input, expected));

  it.each([
    'My account balance is overdue.',
    'The copay is $1,299.99.',
    'I take 1000mg of vitamin C.',
    'Is the RTX4090 too loud for the waiting room?',
    'COVID-19 and H1N1 shots together?',
    'Policy says I must fast.',
    'My insurance plan changed this year.',
  ])('leaves %j alone', (input) => expectUntouched(input));
});
