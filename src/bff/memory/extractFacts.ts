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
  type VocabularyEntry,
} from './factVocabulary.js';

const MAX_FACTS_PER_MESSAGE = 16;
const NEGATION = /\b(?:don'?t|do not|not|never|no|without|rather not)\b/;
const CONTACT_CUE =
  /\b(?:prefer\w*|rather|best way|(?:contact|reach|get back to|reply to|respond to|notify|update) me|by|via|(?:call|text|e-?mail|ring|phone) me)\b|\b(?:is|would be) (?:best|easiest|better|preferred|ideal)\b/;
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
    if (CONTACT_CUE.test(sentence)) for (const channel of affirmed(CONTACT_CHANNELS, sentence)) add('preferred_contact_channel', channel);
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

/** Vocabulary values mentioned in the sentence other than right after a negation ("not by phone"). */
function affirmed(entries: readonly VocabularyEntry[], sentence: string): string[] {
  return entries
    .filter((entry) =>
      entry.patterns.some((pattern) => {
        const match = new RegExp(pattern.source, 'g');
        for (const found of sentence.matchAll(match)) {
          if (!NEGATION.test(wordsBefore(sentence, found.index, 3))) return true;
        }
        return false;
      }),
    )
    .map((entry) => entry.value);
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
