import { stripFaultMarkers } from './faults.js';

/**
 * The deterministic demo model. Replies carry markdown and characters outside ASCII and outside
 * the BMP (é, —, ✓, 🩺) so that any client that splits or duplicates characters while streaming
 * shows up as a mismatch against `demoReply`.
 */
const OPENINGS = [
  'Thanks for your question — here is some general guidance.',
  'Good question — let me share what usually helps.',
  'Here is a short, general overview — not a diagnosis.',
  'Thank you for reaching out — I can help you prepare.',
] as const;

const CONTEXT = [
  'Most people find it easier to talk with their clinician when they arrive with notes.',
  'Keeping track of small details often makes the next appointment more useful.',
  'A little preparation helps your care team understand what has changed.',
  'Clear, simple notes save time for you and for the nurse who reviews them.',
] as const;

const HEADINGS = ['**Helpful steps:**', '**Before your visit:**', '**Things to note:**'] as const;

const STEPS = [
  ['Write down your symptoms', 'Note when they started', 'List your current medicines'],
  ['Check your temperature twice a day', 'Drink enough water', 'Rest when you feel tired'],
  ['Bring your insurance card', 'Bring a list of allergies', 'Prepare two or three questions'],
  ['Track your sleep for a week', 'Record any pain on a 0–10 scale', 'Mention recent travel'],
] as const;

const CLOSINGS = [
  'If anything feels urgent, call your clinic or emergency services right away — Dr. Amélie Laurent’s team is glad to help.',
  'For personal advice, please book a visit — the café-corner clinic desk and Dr. Amélie Laurent can assist.',
  'Your care team can review this with you — ask for Dr. Hélène Martin if you would like a follow-up.',
] as const;

export function demoReply(lastUserText: string): string {
  const seed = fnv1a(stripFaultMarkers(lastUserText));
  const steps = pick(STEPS, seed >>> 8);
  return [
    `${pick(OPENINGS, seed)} ${pick(CONTEXT, seed >>> 3)}`,
    '',
    pick(HEADINGS, seed >>> 5),
    ...steps.map((step) => `- ✓ ${step}`),
    '',
    `${pick(CLOSINGS, seed >>> 11)} 🩺`,
  ].join('\n');
}

/**
 * Splits a reply into chunks of 2..6 code points, the way a model streams small tokens. Iterating
 * by code point keeps surrogate pairs whole; the sizes come from a generator seeded by the reply,
 * so the same reply always splits the same way.
 */
export function replyTokens(reply: string): string[] {
  const codePoints = Array.from(reply);
  const chunks: string[] = [];
  const next = lcg(fnv1a(reply));
  let at = 0;
  while (at < codePoints.length) {
    const remaining = codePoints.length - at;
    let size = 2 + (next() % 5);
    if (remaining - size === 1) size = size < 6 ? size + 1 : size - 1;
    size = Math.min(size, remaining);
    chunks.push(codePoints.slice(at, at + size).join(''));
    at += size;
  }
  return chunks;
}

/** Exactly `count` chunks of demo text, for long streams. */
export function longReplyTokens(lastUserText: string, count: number): string[] {
  const base = stripFaultMarkers(lastUserText);
  const parts = [demoReply(base)];
  // Chunks hold at most six code points, so this length guarantees enough of them.
  let length = Array.from(parts[0] ?? '').length;
  for (let part = 2; length < count * 6; part += 1) {
    const next = `\n\n${demoReply(`${base} (part ${part})`)}`;
    parts.push(next);
    length += Array.from(next).length;
  }
  return replyTokens(parts.join('')).slice(0, count);
}

function pick<T>(items: readonly T[], seed: number): T {
  return items[seed % items.length] as T;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 16;
  };
}
