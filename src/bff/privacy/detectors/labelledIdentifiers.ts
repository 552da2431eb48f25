import { LABEL_SEPARATORS, readLabelledValue, type ValueRule } from '../labelledValue.js';
import { Certainty, type PhiCandidate, type PhiDetector, type PhiType } from '../phiTypes.js';

/**
 * Identifiers recognised by the label in front of them: SSN, MRN, health-plan, account, licence,
 * vehicle and device numbers. The label decides the type; the value only has to look like an
 * identifier (enough digits), so formats nobody listed ("MR# 77-1123-4") are still caught.
 */
interface LabelRule extends ValueRule {
  type: PhiType;
  label: string;
}

const ID_VALUE: ValueRule = { minDigits: 3, minLength: 4 };

const RULES: readonly LabelRule[] = [
  {
    type: 'SSN',
    label: String.raw`ssn|s\.s\.n\.?|ss#|social\s+security(?:\s+card)?|social\s+sec\.?|social`,
    ...ID_VALUE,
  },
  {
    type: 'MRN',
    label: String.raw`mrn|mr#|m\.r\.n\.?|medical\s+records?|med\.?\s+rec(?:ord)?|records?|chart|patient\s+(?:id|number|no\.?|#)|hospital\s+(?:id|number|no\.?|#)|case|encounter|visit\s+(?:id|number)|accession`,
    ...ID_VALUE,
  },
  {
    type: 'HEALTH_PLAN',
    label: String.raw`member(?:ship)?|subscriber|policy(?:\s*holder)?|group(?=\s*(?:number|no\b|no\.|#|id\b|:))|insurance(?:\s+(?:card|policy|plan))?|health\s*plan|plan|medicare|medicaid|mbi|hicn|beneficiary|enrollee|rx\s?bin|rx\s?pcn|rx\s?gr(?:ou)?p|pcn|aetna|cigna|humana|anthem|kaiser|tricare|blue\s+(?:cross|shield)|bcbs|united\s*healthcare|uhc`,
    ...ID_VALUE,
  },
  {
    type: 'ACCOUNT',
    label: String.raw`account|acct\.?|acc\.?|a/c|billing|invoice|statement|claim|card|credit\s+card|debit\s+card|visa|mastercard|amex|discover|routing|iban|bank|payment\s+ref(?:erence)?|reference|ref\.?|confirmation|transaction`,
    ...ID_VALUE,
  },
  {
    type: 'LICENSE',
    label: String.raw`driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|licen[cs]e(?!\s*plate)|dl|d\.l\.|dea(?:\s+registration)?|npi|upin|certificate|cert\.?|certification|passport|state\s+id|id\s+card|permit`,
    ...ID_VALUE,
  },
  {
    type: 'VEHICLE',
    label: String.raw`licen[cs]e\s+plate|number\s+plate|plate|tags?(?=\s*(?:number|no\b|no\.|#|:|is\b))|vin|vehicle\s+identification|vehicle(?:\s+id)?|car\s+registration|registration`,
    minDigits: 2,
    minLength: 4,
  },
  {
    type: 'DEVICE',
    label: String.raw`serial|s/n|sn|imei|meid|esn|udi|device(?:\s+(?:id|identifier|serial))?|mac\s+address|pacemaker|defibrillator|icd\s+serial|implant|insulin\s+pump|pump|cgm|transmitter|sensor|hearing\s+aid|cochlear\s+implant`,
    ...ID_VALUE,
  },
];

const COMPILED = RULES.map((rule) => ({
  rule,
  pattern: new RegExp(String.raw`(?<![A-Za-z0-9])(?:${rule.label})(?![A-Za-z0-9])${LABEL_SEPARATORS}`, 'gi'),
}));

export const detectLabelledIdentifiers: PhiDetector = (text) => {
  const found: PhiCandidate[] = [];
  for (const { rule, pattern } of COMPILED) {
    for (const match of text.matchAll(pattern)) {
      const span = readLabelledValue(text, match.index + match[0].length, rule);
      if (span) found.push({ type: rule.type, ...span, certainty: Certainty.labelled });
    }
  }
  return found;
};
