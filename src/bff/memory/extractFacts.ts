import type { FactKind, ObservedFact } from './fact.js';
import {
  ACCESSIBILITY_NEEDS,
  APPOINTMENT_INTENTS,
  CONTACT_CHANNELS,
  LANGUAGES,
  REQUEST_CUE,
  SERVICES,
  TOPICS,
  URGENCY,
  matchAll,
  matchFirst,
} from './factVocabulary.js';

const MAX_FACTS_PER_MESSAGE = 16;
const NEGATION = /\b(?:don'?t|do not|not|never|no|without|rather not)\b/;
const CHANNEL = '(phone(?: call)?|telephone|call|text(?: message)?s?|sms|e-?mail|post|letter|mail|(?:patient )?portal)';
// A channel counts only in a phrase that states a preference, not wherever it is named
// ("contact me by email, my phone is ..." prefers email, not the phone).
const CONTACT_PHRASES = [
  new RegExp(`\\b(?:by|via|through|over) (?:an? )?${CHANNEL}\\b`, 'g'),
  new RegExp(`\\bprefer\\w* (?:to be contacted |being contacted |contact )?(?:by |via )?(?:an? )?${CHANNEL}\\b`, 'g'),
  new RegExp(`\\b${CHANNEL} (?:is|would be|works) (?:best|better|easiest|preferred|ideal|fine)\\b`, 'g'),
  new RegExp(`\\bplease ${CHANNEL} me\\b`, 'g'),
  new RegExp(`\\b${CHANNEL} me (?:back|instead|please|anytime|any time|later|tomorrow)\\b`, 'g'),
];
const LANGUAGE_CUE_BEFORE = /\b(?:speak\w*|talk\w*|in|prefer\w*|language|interpreter|translator|native|fluent|write|reply|respond|answer)\W*$/;
const LANGUAGE_CUE_AFTER = /^\W*(?:speak\w*|-speak\w*|please|interpreter|translator|translation|language|version)\b/;
const SELF_NAMED_LANGUAGE = /español|espanol|français|deutsch|italiano|português|中文|tiếng việt|kreyòl/;

/**
 * Derives facts from a user's message by fixed patterns, not by asking the model: the result is
 * deterministic, testable, and can only ever be a label from the vocabulary.
 */
export function extractFacts(userText: string): ObservedFact[] {
  const facts = new Map<string, ObservedFact>();
  const add = (kind: FactKind, value: string | undefined) => {
    if (value !== undefined && facts.size < MAX_FACTS_PER_MESSAGE) facts.set(`${kind}:${value}`, { kind, value });
  };
  for (const sentence of sentencesOf(userText)) {
    const services = matchAll(SERVICES, sentence);
    for (const service of services) add('topic', service);
    for (const topic of matchAll(TOPICS, sentence)) add('topic', topic);
    if (REQUEST_CUE.test(sentence)) for (const service of services) add('requested_service', service);
    add('appointment_intent', matchFirst(APPOINTMENT_INTENTS, sentence));
    add('urgency', matchFirst(URGENCY, sentence));
    for (const need of matchAll(ACCESSIBILITY_NEEDS, sentence)) add('accessibility_need', need);
    for (const channel of contactPreferences(sentence)) add('preferred_contact_channel', channel);
    for (const language of cuedLanguages(sentence)) add('preferred_language', language);
  }
  return [...facts.values()];
}

function sentencesOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .split(/[.!?;\n]+/)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence.length > 0);
}

/** Channels named in a preference phrase that no negation governs ("not by phone, by email please"). */
function contactPreferences(sentence: string): string[] {
  const channels: string[] = [];
  for (const phrase of CONTACT_PHRASES) {
    for (const found of sentence.matchAll(phrase)) {
      if (NEGATION.test(wordsBefore(sentence, found.index, 3)) || NEGATION.test(found[0])) continue;
      const channel = matchFirst(CONTACT_CHANNELS, found[1] ?? '');
      if (channel !== undefined) channels.push(channel);
    }
  }
  return channels;
}

/** A language counts as preferred when it is asked for ("in Spanish", "a Spanish speaker"), not merely named. */
function cuedLanguages(sentence: string): string[] {
  return LANGUAGES.filter((entry) =>
    entry.patterns.some((pattern) => {
      for (const found of sentence.matchAll(new RegExp(pattern.source, 'g'))) {
        const before = wordsBefore(sentence, found.index, 3);
        if (NEGATION.test(before)) continue;
        const after = sentence.slice(found.index + found[0].length);
        if (SELF_NAMED_LANGUAGE.test(found[0]) || LANGUAGE_CUE_BEFORE.test(before) || LANGUAGE_CUE_AFTER.test(after)) return true;
      }
      return false;
    }),
  ).map((entry) => entry.value);
}

/** Up to `count` words before `index`, within its clause: "don't call me, email me" negates only the call. */
function wordsBefore(sentence: string, index: number, count: number): string {
  const clause = sentence.slice(0, index).split(/[,:]|\b(?:but|and|or|instead|rather than)\b/).at(-1) ?? '';
  return clause.split(' ').slice(-count - 1).join(' ');
}
