import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../../src/bff/audit/canonicalJson.js';

describe('canonicalJson', () => {
  it('gives the same text whatever order the keys were inserted in, at every depth', () => {
    const a = { b: 1, a: { y: [1, { d: 2, c: 3 }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { c: 3, d: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"c":3,"d":2}]},"b":1}');
  });

  it('leaves out undefined properties, as DynamoDB would never store them', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('refuses numbers JSON cannot represent', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });

  it('hashes as hex SHA-256 of the UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
