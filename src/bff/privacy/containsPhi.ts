import { PHI_DETECTORS } from './detectPhi.js';

/** True when any identifier family finds something; stops at the first family that does. */
export function containsPhi(text: string): boolean {
  return PHI_DETECTORS.some((detect) => detect(text).length > 0);
}
