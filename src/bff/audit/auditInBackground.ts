import type { Logger } from 'pino';
import type { AuditTrail } from './auditTrail.js';
import type { AuditEvent } from './auditEntry.js';

/**
 * For events that must not hold up or fail the request they describe (a rejected token, a
 * minted session): records without awaiting and reports a failure by action and error name only.
 */
export function auditInBackground(trail: AuditTrail, log: Logger, onFailure: (action: string) => void = () => {}) {
  return (event: AuditEvent): void => {
    trail.record(event).catch((error: unknown) => {
      onFailure(event.action);
      log.error({ action: event.action, error: error instanceof Error ? error.name : 'unknown' }, 'audit entry not written');
    });
  };
}
