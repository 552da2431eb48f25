import type { PhiCandidate, PhiFinding } from './phiTypes.js';

/**
 * Folds overlapping candidates into one span covering all of them, so no fragment of either
 * survives. The merged span takes the type of its surest candidate, then its longest, so
 * "NPI 1234567893" stays a licence and "http://192.0.2.1/x" stays a URL.
 */
export function mergeFindings(candidates: readonly PhiCandidate[]): PhiFinding[] {
  const ordered = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: PhiFinding[] = [];
  let group: { start: number; end: number; best: PhiCandidate } | null = null;
  for (const candidate of ordered) {
    if (group && candidate.start < group.end) {
      group.end = Math.max(group.end, candidate.end);
      if (outranks(candidate, group.best)) group.best = candidate;
      continue;
    }
    if (group) merged.push({ type: group.best.type, start: group.start, end: group.end });
    group = { start: candidate.start, end: candidate.end, best: candidate };
  }
  if (group) merged.push({ type: group.best.type, start: group.start, end: group.end });
  return merged;
}

function outranks(challenger: PhiCandidate, holder: PhiCandidate): boolean {
  if (challenger.certainty !== holder.certainty) return challenger.certainty > holder.certainty;
  return challenger.end - challenger.start > holder.end - holder.start;
}
