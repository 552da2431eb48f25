import { expect } from 'vitest';
import { redactPhi } from '../../../src/bff/privacy/redactPhi.js';

/** Asserts the redacted text exactly, so both a miss and an over-redaction fail the case. */
export function expectRedaction(input: string, expected: string): void {
  expect(redactPhi(input).text).toBe(expected);
}

export function expectUntouched(input: string): void {
  const result = redactPhi(input);
  expect(result.findings).toEqual([]);
  expect(result.text).toBe(input);
}
