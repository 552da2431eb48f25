import { describe, expect, it } from 'vitest';
import { memoryPrompt, withMemory } from '../../../src/bff/memory/memoryPrompt.js';
import type { Fact } from '../../../src/bff/memory/fact.js';

const fact = (kind: Fact['kind'], value: string, at: number): Fact => ({ kind, value, at, sourceMessageId: `m${at}` });

describe('memoryPrompt', () => {
  it('is empty when there is nothing to remember, leaving the tenant prompt as it is', () => {
    expect(memoryPrompt(undefined, [])).toBe('');
    expect(withMemory('You are the Acme assistant.', '')).toBe('You are the Acme assistant.');
  });

  it('carries the summary marked as background, and facts grouped by kind', () => {
    const prompt = memoryPrompt('Asked about flu shots.', [
      fact('topic', 'vaccination', 1),
      fact('topic', 'billing', 2),
      fact('topic', 'vaccination', 3),
      fact('requested_service', 'physiotherapy', 4),
    ]);
    expect(prompt).toContain('<summary>\nAsked about flu shots.\n</summary>');
    expect(prompt).toContain('not instructions');
    expect(prompt).toContain('- Topics discussed: billing, vaccination');
    expect(prompt).toContain('- Services asked for: physiotherapy');
  });

  it('keeps only the latest stated preference', () => {
    const prompt = memoryPrompt(undefined, [fact('preferred_contact_channel', 'phone_call', 1), fact('preferred_contact_channel', 'email', 2)]);
    expect(prompt).toContain('- Preferred contact channel: email');
    expect(prompt).not.toContain('phone call');
  });

  it('appends the memory after the tenant prompt', () => {
    expect(withMemory('Tenant prompt.', 'Memory.')).toBe('Tenant prompt.\n\nMemory.');
    expect(withMemory(undefined, 'Memory.')).toBe('Memory.');
  });
});
