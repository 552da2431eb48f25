/**
 * The identifier families the redactor recognises. Each maps to a HIPAA Safe Harbor identifier
 * (45 CFR 164.514(b)(2)) that free text can carry; ID stands for "any other unique identifying
 * number" when nothing in the text says which kind of number it is.
 */
export type PhiType =
  | 'NAME'
  | 'DATE'
  | 'AGE'
  | 'PHONE'
  | 'EMAIL'
  | 'SSN'
  | 'MRN'
  | 'HEALTH_PLAN'
  | 'ACCOUNT'
  | 'LICENSE'
  | 'ADDRESS'
  | 'ZIP'
  | 'URL'
  | 'IP'
  | 'VEHICLE'
  | 'DEVICE'
  | 'ID';

export const PHI_TYPES: readonly PhiType[] = [
  'NAME',
  'DATE',
  'AGE',
  'PHONE',
  'EMAIL',
  'SSN',
  'MRN',
  'HEALTH_PLAN',
  'ACCOUNT',
  'LICENSE',
  'ADDRESS',
  'ZIP',
  'URL',
  'IP',
  'VEHICLE',
  'DEVICE',
  'ID',
];

/** A redacted span of the input, as UTF-16 offsets into the original text (end exclusive). */
export interface PhiFinding {
  type: PhiType;
  start: number;
  end: number;
}

/**
 * How sure a detector is of the type it reports. When matches overlap, the surest type names the
 * merged span: an explicit label ("NPI 1234567893") beats a shape (ten digits look like a phone),
 * which beats the catch-all for long numbers.
 */
export const Certainty = {
  generic: 1,
  shaped: 2,
  labelled: 3,
} as const;

export type CertaintyLevel = (typeof Certainty)[keyof typeof Certainty];

export interface PhiCandidate extends PhiFinding {
  certainty: CertaintyLevel;
}

/** One identifier family: finds every candidate span in the text. */
export type PhiDetector = (text: string) => PhiCandidate[];
