const decimal = /^\d+$/;

function stripZeros(value: string): string {
  const trimmed = value.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/**
 * True when `id` comes after `last` within one turn's stream. Ids are decimal
 * sequence numbers sent as strings; they are compared as numbers of any length
 * (never through Number, which loses precision past 2^53). Ids that are not
 * decimal fall back to string order, the only order an opaque id can have.
 */
export function isAfterEventId(id: string, last: string | null): boolean {
  if (last === null) return true;
  if (decimal.test(id) && decimal.test(last)) {
    const a = stripZeros(id);
    const b = stripZeros(last);
    return a.length !== b.length ? a.length > b.length : a > b;
  }
  return id > last;
}
