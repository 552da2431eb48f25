import { detectPhi } from './detectPhi.js';
import type { PhiFinding } from './phiTypes.js';

export { containsPhi } from './containsPhi.js';
export { PHI_TYPES, type PhiFinding, type PhiType } from './phiTypes.js';

export interface RedactionResult {
  /** The input with every identifier replaced by a typed placeholder such as "[PHONE]". */
  text: string;
  /** What was replaced, as offsets into the original input, in text order, never overlapping. */
  findings: PhiFinding[];
}

/**
 * Replaces the HIPAA Safe Harbor identifiers that English free text can carry with typed
 * placeholders. Deterministic and linear in the input length, so it can run after every turn.
 */
export function redactPhi(text: string): RedactionResult {
  const findings = detectPhi(text);
  let redacted = '';
  let cursor = 0;
  for (const finding of findings) {
    redacted += text.slice(cursor, finding.start) + `[${finding.type}]`;
    cursor = finding.end;
  }
  return { text: redacted + text.slice(cursor), findings };
}
