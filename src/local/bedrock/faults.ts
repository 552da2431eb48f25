/**
 * Scripted faults, chosen by marker words such as `[fault:slow=40]` in the last user message.
 * The grammar is documented in docs/bedrock-emulator.md.
 */
export interface FaultPlan {
  /** 429 ThrottlingException before the stream, every call. */
  throttle: boolean;
  /** 429 on the first call carrying this exact text, success afterwards. */
  throttleOnce: boolean;
  /** Stream this many chunks, then a modelStreamErrorException frame. */
  errorAfter?: number;
  /** Stream this many chunks, then fall silent with the connection left open. */
  hangAfter?: number;
  /** Milliseconds between chunks, overriding the server's default. */
  slowMs?: number;
  /** Exact number of chunks in the reply. */
  long?: number;
}

export class FaultMarkerError extends Error {
  override readonly name = 'FaultMarkerError';
}

const MARKER = /\[fault:([a-z-]+)(?:=([^\]]*))?\]/gi;
const MAX_CHUNKS = 200_000;
const MAX_DELAY_MS = 60_000;

export function stripFaultMarkers(text: string): string {
  return text.replace(MARKER, ' ').replace(/\s+/g, ' ').trim();
}

/** Throws FaultMarkerError for an unknown marker or a bad value, so a typo never passes silently. */
export function parseFaults(text: string): FaultPlan {
  const plan: FaultPlan = { throttle: false, throttleOnce: false };
  for (const match of text.matchAll(MARKER)) {
    const name = (match[1] ?? '').toLowerCase();
    const raw = match[2];
    switch (name) {
      case 'throttle':
        plan.throttle = true;
        break;
      case 'throttle-once':
        plan.throttleOnce = true;
        break;
      case 'error-after':
        plan.errorAfter = integerValue(name, raw, 0, MAX_CHUNKS);
        break;
      case 'hang-after':
        plan.hangAfter = integerValue(name, raw, 0, MAX_CHUNKS);
        break;
      case 'slow':
        plan.slowMs = integerValue(name, raw, 0, MAX_DELAY_MS);
        break;
      case 'long':
        plan.long = integerValue(name, raw, 1, MAX_CHUNKS);
        break;
      default:
        throw new FaultMarkerError(`Unknown fault marker: ${name}`);
    }
  }
  return plan;
}

function integerValue(name: string, raw: string | undefined, min: number, max: number): number {
  const value = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new FaultMarkerError(`Fault marker ${name} needs an integer between ${min} and ${max}`);
  }
  return value;
}
