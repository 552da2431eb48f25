/** What the facts ledger records: structured observations, never identifiers or free text. */
export const FACT_KINDS = [
  'topic',
  'requested_service',
  'appointment_intent',
  'preferred_contact_channel',
  'preferred_language',
  'urgency',
  'accessibility_need',
] as const;

export type FactKind = (typeof FACT_KINDS)[number];

export interface ObservedFact {
  kind: FactKind;
  /** A value from the fixed vocabulary of its kind (see factVocabulary). */
  value: string;
}

export interface Fact extends ObservedFact {
  /** The user message it was taken from. */
  sourceMessageId: string;
  /** Epoch ms. */
  at: number;
}
