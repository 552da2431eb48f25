import { detectAges } from './detectors/ages.js';
import { detectDates } from './detectors/dates.js';
import { detectEmails } from './detectors/emails.js';
import { detectIpAddresses } from './detectors/ipAddresses.js';
import { detectLabelledIdentifiers } from './detectors/labelledIdentifiers.js';
import { detectNames } from './detectors/names.js';
import { detectPhones } from './detectors/phones.js';
import { detectShapedIdentifiers } from './detectors/shapedIdentifiers.js';
import { detectStreetAddresses } from './detectors/streetAddresses.js';
import { detectWebAddresses } from './detectors/webAddresses.js';
import { detectZipCodes } from './detectors/zipCodes.js';
import { mergeFindings } from './mergeFindings.js';
import type { PhiDetector, PhiFinding } from './phiTypes.js';

/** Every identifier family; adding one means writing a detector and listing it here. */
export const PHI_DETECTORS: readonly PhiDetector[] = [
  detectNames,
  detectDates,
  detectAges,
  detectPhones,
  detectEmails,
  detectWebAddresses,
  detectIpAddresses,
  detectLabelledIdentifiers,
  detectShapedIdentifiers,
  detectStreetAddresses,
  detectZipCodes,
];

/** Non-overlapping findings in text order. */
export function detectPhi(text: string): PhiFinding[] {
  return mergeFindings(PHI_DETECTORS.flatMap((detect) => detect(text)));
}
