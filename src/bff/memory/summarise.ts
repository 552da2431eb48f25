import type { ModelRequest } from '../model/chatModel.js';
import { redactPhi } from '../privacy/redactPhi.js';

export const MAX_SUMMARY_CHARS = 1200;
const MAX_MODEL_OUTPUT_CHARS = 50_000;
// Enough for a turn to be summarised; the rest of a long message adds little to a running summary.
const MAX_TURN_CHARS = 4000;

export const SUMMARY_SYSTEM_PROMPT = [
  'You maintain a short running summary of a conversation between a patient or healthcare worker and a clinic assistant.',
  'Update the previous summary with the latest exchange. Keep what matters for continuing the conversation:',
  'the topics, the services asked about, preferences and open questions. At most 120 words, plain prose.',
  'Never include names, dates, ages, phone numbers, email or postal addresses, record, insurance or account numbers,',
  'or any other detail that could identify a person. Bracketed placeholders such as [NAME] mark removed identifiers:',
  'leave them out. Reply with the updated summary only.',
].join(' ');

/**
 * The summarisation request. Its inputs are redacted first, so the model is never handed an
 * identifier it could repeat; its output is redacted again by summaryFromModel regardless.
 */
export function summaryRequest(modelId: string, previous: string | undefined, userText: string, replyText: string, signal?: AbortSignal): ModelRequest {
  const turn = [
    `Previous summary:\n${previous ?? '(none yet)'}`,
    `Latest user message:\n${redactPhi(userText).text.slice(0, MAX_TURN_CHARS)}`,
    `Latest assistant reply:\n${redactPhi(replyText).text.slice(0, MAX_TURN_CHARS)}`,
  ].join('\n\n');
  return { modelId, system: SUMMARY_SYSTEM_PROMPT, messages: [{ role: 'user', text: turn }], signal };
}

/** What may be stored of a model's summary: redacted whole, then bounded, or nothing at all. */
export function summaryFromModel(output: string): string | undefined {
  const trimmed = output.replace(/\s+/g, ' ').trim();
  // Redacted before any cut, since a cut through an identifier could leave a part the redactor
  // no longer recognises; an output too large to redact whole is not kept.
  if (trimmed.length === 0 || trimmed.length > MAX_MODEL_OUTPUT_CHARS) return undefined;
  const redacted = redactPhi(trimmed).text;
  return redacted.length > MAX_SUMMARY_CHARS ? `${redacted.slice(0, MAX_SUMMARY_CHARS).replace(/\s+\S*$/, '')}…` : redacted;
}
