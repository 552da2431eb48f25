import { redactPhi } from '../privacy/redactPhi.js';
import type { ObservedFact } from './fact.js';

/**
 * Facts as the ledger may hold them: each value has passed the PHI redactor, and any value in
 * which the redactor still finds something is dropped rather than stored in redacted form.
 */
export function safeFacts(facts: readonly ObservedFact[]): ObservedFact[] {
  return facts.filter((fact) => redactPhi(fact.value.replaceAll('_', ' ')).findings.length === 0 && redactPhi(fact.value).findings.length === 0);
}
