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
    label: String.raw`ssn|s\.s\.n\.?|ss#|social\s{1,3}security(?:\s{1,3}card)?|social\s{1,3}sec\.?|social`,
    ...ID_VALUE,
  },
  {
    type: 'MRN',
    label: String.raw`mrn|mr#|m\.r\.n\.?|medical\s{1,3}records?|med\.?\s{1,3}rec(?:ord)?|records?|chart|patient\s{1,3}(?:id|number|no\.?|#)|hospital\s{1,3}(?:id|number|no\.?|#)|case|encounter|visit\s{1,3}(?:id|number)|accession`,
    ...ID_VALUE,
  },
  {
    type: 'HEALTH_PLAN',
    label: String.raw`member(?:ship)?|subscriber|policy(?:\s{0,3}holder)?|group|insurance(?:\s{1,3}(?:card|policy|plan))?|health\s{0,3}plan|plan|medicare|medicaid|mbi|hicn|beneficiary|enrollee|rx\s?bin|rx\s?pcn|rx\s?gr(?:ou)?p|pcn|aetna|cigna|humana|anthem|kaiser|tricare|blue\s{1,3}(?:cross|shield)|bcbs|united\s{0,3}healthcare|uhc`,
    ...ID_VALUE,
  },
  {
    type: 'ACCOUNT',
    label: String.raw`account|acct\.?|acc\.?|a/c|billing|invoice|statement|claim|card|credit\s{1,3}card|debit\s{1,3}card|visa|mastercard|amex|discover|routing|iban|bank|payment\s{1,3}ref(?:erence)?|reference|ref\.?|confirmation|transaction`,
    ...ID_VALUE,
  },
  {
    type: 'LICENSE',
    label: String.raw`driver'?s?\s{1,3}licen[cs]e|driving\s{1,3}licen[cs]e|licen[cs]e(?!\s{0,3}plate)|dl|d\.l\.|dea(?:\s{1,3}registration)?|npi|upin|certificate|cert\.?|certification|passport|state\s{1,3}id|id\s{1,3}card|permit`,
    ...ID_VALUE,
  },
  {
    type: 'ID',
    label: String.raw`tax\s{1,3}id|tin|ein|itin|employer\s{1,3}identification|national\s{1,3}id|identification|id(?=\s{1,3}(?:number|no\b|no\.|#))|student\s{1,3}id|employee\s{1,3}id|badge`,
    ...ID_VALUE,
  },
  {
    type: 'VEHICLE',
    label: String.raw`licen[cs]e\s{1,3}plate|number\s{1,3}plate|plate|tags?(?=\s{0,3}(?:number|no\b|no\.|#|:|is\b))|vin|vehicle\s{1,3}identification|vehicle(?:\s{1,3}id)?|car\s{1,3}registration|registration`,
    minDigits: 2,
    minLength: 4,
    keepTrailingLetters: true,
  },
  {
    type: 'DEVICE',
    label: String.raw`serial|s/n|sn|imei|meid|esn|udi|device(?:\s{1,3}(?:id|identifier|serial))?|mac\s{1,3}address|pacemaker|defibrillator|icd\s{1,3}serial|implant|insulin\s{1,3}pump|pump|cgm|transmitter|sensor|hearing\s{1,3}aid|cochlear\s{1,3}implant`,
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
