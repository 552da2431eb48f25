import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../src/bff/memory/extractFacts.js';
import {
  ACCESSIBILITY_NEEDS,
  APPOINTMENT_INTENTS,
  CONTACT_CHANNELS,
  LANGUAGES,
  SERVICES,
  TOPICS,
  URGENCY,
} from '../../../src/bff/memory/factVocabulary.js';
import { safeFacts } from '../../../src/bff/memory/safeFacts.js';
import { redactPhi } from '../../../src/bff/privacy/redactPhi.js';

const facts = (text: string) => extractFacts(text).map((fact) => `${fact.kind}=${fact.value}`).sort();

describe('extractFacts', () => {
  it('finds topics, and a requested service only when the user asks for it', () => {
    expect(facts('What are your opening hours?')).toEqual(['topic=opening_hours']);
    expect(facts('Do you offer flu shots?')).toEqual(['topic=vaccination']);
    expect(facts('I need a flu shot.')).toEqual(['requested_service=vaccination', 'topic=vaccination']);
    expect(facts('Question about my bill and my insurance coverage')).toEqual(['topic=billing', 'topic=insurance']);
  });

  it('finds appointment intents, preferring the most specific', () => {
    expect(facts('I would like to book an appointment')).toEqual(['appointment_intent=book']);
    expect(facts('Can I reschedule my appointment to another day?')).toEqual(['appointment_intent=reschedule']);
    expect(facts('Please cancel my appointment')).toEqual(['appointment_intent=cancel']);
    expect(facts("What's the next available slot?")).toEqual(['appointment_intent=check_availability']);
  });

  it('finds a preferred contact channel, and not one the user rules out', () => {
    expect(facts('Please contact me by email.')).toEqual(['preferred_contact_channel=email']);
    expect(facts('I prefer text messages')).toEqual(['preferred_contact_channel=sms']);
    expect(facts("Please don't call me, email me instead")).toEqual(['preferred_contact_channel=email']);
    expect(facts('I got an email from you yesterday')).toEqual([]);
    expect(facts('Contact me by email, my phone is broken')).toEqual(['preferred_contact_channel=email']);
    expect(facts('Not by phone, by post please')).toEqual(['preferred_contact_channel=post']);
  });

  it('finds a language only when it is asked for, not merely named', () => {
    expect(facts('Can we continue in Spanish please?')).toEqual(['preferred_language=spanish']);
    expect(facts('Is there a Vietnamese speaking nurse?')).toEqual(['preferred_language=vietnamese']);
    expect(facts('¿Hablan español?')).toEqual(['preferred_language=spanish']);
    expect(facts('My doctor went to a French school')).toEqual([]);
    expect(facts('I do not speak German')).toEqual([]);
  });

  it('finds urgency and accessibility needs', () => {
    expect(facts('This is urgent')).toEqual(['urgency=urgent']);
    expect(facts('I need an interpreter and wheelchair access')).toEqual(['accessibility_need=interpreter', 'accessibility_need=wheelchair_access']);
  });

  it('keeps nothing of the identifiers around the words it matched', () => {
    const text =
      'My name is Maria Gonzalez, born 03/14/1962, MRN 00482913. Call me on (415) 555-0134 or email maria.gonzalez@example.com; ' +
      'I live at 1234 Oak Street, Springfield IL 62704. I need a flu shot and prefer email.';
    const found = extractFacts(text);
    expect(found.length).toBeGreaterThan(0);
    const stored = JSON.stringify(found);
    for (const identifier of ['Maria', 'Gonzalez', '1962', '00482913', '555-0134', 'example.com', 'Oak Street', '62704']) {
      expect(stored).not.toContain(identifier);
    }
  });

  it('is deterministic', () => {
    const text = 'I need physio, prefer a phone call, and speak Polish. Also a question about billing.';
    expect(extractFacts(text)).toEqual(extractFacts(text));
  });
});

describe('fact vocabulary', () => {
  it('holds only values in which the redactor finds nothing, so safeFacts keeps every one', () => {
    const all = [SERVICES, TOPICS, APPOINTMENT_INTENTS, CONTACT_CHANNELS, LANGUAGES, URGENCY, ACCESSIBILITY_NEEDS].flat().map((e) => e.value);
    for (const value of all) expect(redactPhi(value.replaceAll('_', ' ')).findings, value).toEqual([]);
    const asFacts = all.map((value) => ({ kind: 'topic' as const, value }));
    expect(safeFacts(asFacts)).toHaveLength(all.length);
  });

  it('safeFacts drops a value the redactor flags rather than storing it redacted', () => {
    expect(safeFacts([{ kind: 'topic', value: 'call 415-555-0134' }, { kind: 'topic', value: 'billing' }])).toEqual([{ kind: 'topic', value: 'billing' }]);
  });
});
