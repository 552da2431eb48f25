import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { auditOrigin, exactOrigin } from '../../../src/bff/audit/requestContext.js';

const request = (ip: string | undefined, origin: string | undefined) =>
  ({ ip, get: (name: string) => (name.toLowerCase() === 'origin' ? origin : undefined) }) as unknown as Request;

describe('auditOrigin', () => {
  it('takes the client address and an exact Origin', () => {
    expect(auditOrigin(request('203.0.113.5', 'https://acme.example'))).toEqual({ ip: '203.0.113.5', origin: 'https://acme.example' });
  });

  it('drops an Origin that is not an exact web origin rather than failing the entry', () => {
    for (const origin of ['null', 'https://acme.example/path', 'javascript:alert(1)', `https://${'a'.repeat(300)}.example`]) {
      expect(exactOrigin(origin), origin.slice(0, 30)).toBeUndefined();
    }
    expect(auditOrigin(request(undefined, 'null'))).toEqual({});
  });
});
