/**
 * The fixed vocabularies facts are drawn from. A fact's value is always one of these canonical
 * labels, never words copied out of the message, so a fact cannot carry an identifier even when
 * the message around the matched words does. Patterns run on lower-cased text.
 */
export interface VocabularyEntry {
  value: string;
  patterns: readonly RegExp[];
}

/** Services a patient can ask for; a mention is a topic, a mention with a request cue is a request. */
export const SERVICES: readonly VocabularyEntry[] = [
  { value: 'vaccination', patterns: [/\bvaccin\w*/, /\bimmuni[sz]\w*/, /\bflu (?:shot|jab)s?\b/, /\bbooster (?:shot|dose)s?\b/] },
  { value: 'physiotherapy', patterns: [/\bphysio\w*/, /\bphysical therap\w*/] },
  { value: 'dermatology', patterns: [/\bdermatolog\w*/, /\bskin (?:check|clinic|doctor|specialist)s?\b/, /\bmole (?:check|screening)s?\b/] },
  { value: 'dental_care', patterns: [/\bdent(?:al|ist)\w*/, /\b(?:tooth|teeth)\b/] },
  { value: 'mental_health', patterns: [/\bmental health\b/, /\bcounsel+(?:ing|or)s?\b/, /\bpsycholog\w*/, /\bpsychiatr\w*/, /\btherapist\b/] },
  { value: 'eye_care', patterns: [/\beye (?:exam|test|doctor|check)s?\b/, /\boptometr\w*/, /\bophthalmolog\w*/] },
  { value: 'pediatrics', patterns: [/\bpa?ediatric\w*/, /\bchild(?:ren)?(?:'s)? (?:doctor|clinic)\b/] },
  { value: 'maternity_care', patterns: [/\bprenatal\b/, /\bantenatal\b/, /\bmaternity\b/, /\bmidwi(?:fe|ves|fery)\b/] },
  { value: 'cardiology', patterns: [/\bcardiolog\w*/, /\bheart (?:check|doctor|specialist)s?\b/, /\b(?:ecg|ekg)\b/] },
  { value: 'lab_tests', patterns: [/\bblood (?:test|work|draw)s?\b/, /\blab(?:oratory)? (?:test|work)s?\b/] },
  { value: 'imaging', patterns: [/\bx-?rays?\b/, /\bmri\b/, /\bct scans?\b/, /\bultrasound\b/] },
  { value: 'general_practice', patterns: [/\bgeneral practi\w*/, /\bfamily doctor\b/, /\bprimary care\b/, /\bcheck-?ups?\b/] },
  { value: 'telehealth', patterns: [/\btele(?:health|medicine)\b/, /\b(?:video|virtual) (?:visit|call|consult\w*|appointment)s?\b/] },
  { value: 'nutrition', patterns: [/\bnutrition\w*/, /\bdieti[ct]ian\b/] },
];

/** Subjects of a conversation that are not services. */
export const TOPICS: readonly VocabularyEntry[] = [
  { value: 'billing', patterns: [/\bbill(?:s|ing|ed)?\b/, /\binvoices?\b/, /\bpayments?\b/, /\bcharged?\b/] },
  { value: 'insurance', patterns: [/\binsurance\b/, /\bcoverage\b/, /\bco-?pays?\b/, /\bmedicare\b/, /\bmedicaid\b/] },
  { value: 'prescriptions', patterns: [/\bprescri(?:ption|be)\w*/, /\brefills?\b/, /\bpharmac(?:y|ies|ist)\b/, /\bmedications?\b/] },
  { value: 'test_results', patterns: [/\b(?:test|lab|blood|scan) results?\b/, /\bmy results\b/] },
  { value: 'opening_hours', patterns: [/\bopening (?:hours|times)\b/, /\bwhen (?:are|is) (?:you|the \w+) open\b/, /\bclos(?:e|ing) time\b/] },
  { value: 'location', patterns: [/\bdirections\b/, /\bparking\b/, /\bwhere (?:are|is) (?:you|the \w+)(?: located)?\b/] },
  { value: 'referrals', patterns: [/\breferrals?\b/, /\brefer(?:red)? me\b/] },
  { value: 'medical_records', patterns: [/\b(?:medical|health) records?\b/] },
];

/** Checked in this order; the first that matches a sentence is its appointment intent. */
export const APPOINTMENT_INTENTS: readonly VocabularyEntry[] = [
  { value: 'reschedule', patterns: [/\breschedul\w*/, /\b(?:move|change|shift) (?:my|the|our|an) (?:appointment|booking|visit)\b/] },
  { value: 'cancel', patterns: [/\bcancel\w* (?:my |the |our |an )?(?:appointment|booking|visit)\b/] },
  { value: 'confirm', patterns: [/\bconfirm\w* (?:my |the |our )?(?:appointment|booking|visit)\b/] },
  {
    value: 'check_availability',
    patterns: [/\bavailability\b/, /\bnext available\b/, /\bavailable (?:slots?|times?|appointments?)\b/, /\bany (?:slots|openings|appointments) (?:available|free|left)\b/],
  },
  {
    value: 'book',
    patterns: [
      /\b(?:book|schedule|make|arrange|set up) (?:an? |my |the )?(?:appointment|visit|consult\w*|session|slot)\b/,
      /\b(?:need|want|like) (?:an? |to book an? |to make an? )?(?:appointment|visit)\b/,
      /\bbook (?:me )?in\b/,
      /\bsee (?:a|the) (?:doctor|nurse|dentist|specialist|gp)\b/,
    ],
  },
];

/** Words that make a service mention a request. */
export const REQUEST_CUE = /\b(?:need|needs|want|wants|would like|'d like|looking for|book|schedule|arrange|request|get|getting)\b/;

export const CONTACT_CHANNELS: readonly VocabularyEntry[] = [
  { value: 'phone_call', patterns: [/\b(?:phone(?: call)?|telephone|call)\b/] },
  { value: 'sms', patterns: [/\b(?:text(?: message)?s?|sms)\b/] },
  { value: 'email', patterns: [/\be-?mail\b/] },
  { value: 'post', patterns: [/\b(?:post|letter|mail)\b/] },
  { value: 'patient_portal', patterns: [/\b(?:patient )?portal\b/] },
];

/** English names, plus the few self-names people write when asking for their own language. */
export const LANGUAGES: readonly VocabularyEntry[] = [
  { value: 'english', patterns: [/\benglish\b/] },
  { value: 'spanish', patterns: [/\bspanish\b/, /\bespañol\b/, /\bespanol\b/] },
  { value: 'french', patterns: [/\bfrench\b/, /\bfrançais\b/] },
  { value: 'german', patterns: [/\bgerman\b/, /\bdeutsch\b/] },
  { value: 'italian', patterns: [/\bitalian\b/, /\bitaliano\b/] },
  { value: 'portuguese', patterns: [/\bportuguese\b/, /\bportuguês\b/] },
  { value: 'mandarin', patterns: [/\bmandarin\b/] },
  { value: 'cantonese', patterns: [/\bcantonese\b/] },
  { value: 'chinese', patterns: [/\bchinese\b/, /中文/] },
  { value: 'vietnamese', patterns: [/\bvietnamese\b/, /tiếng việt/] },
  { value: 'korean', patterns: [/\bkorean\b/] },
  { value: 'japanese', patterns: [/\bjapanese\b/] },
  { value: 'arabic', patterns: [/\barabic\b/] },
  { value: 'russian', patterns: [/\brussian\b/] },
  { value: 'ukrainian', patterns: [/\bukrainian\b/] },
  { value: 'polish', patterns: [/\bpolish\b/] },
  { value: 'tagalog', patterns: [/\btagalog\b/, /\bfilipino\b/] },
  { value: 'hindi', patterns: [/\bhindi\b/] },
  { value: 'urdu', patterns: [/\burdu\b/] },
  { value: 'bengali', patterns: [/\bbengali\b/, /\bbangla\b/] },
  { value: 'punjabi', patterns: [/\bpunjabi\b/] },
  { value: 'farsi', patterns: [/\bfarsi\b/, /\bpersian\b/] },
  { value: 'turkish', patterns: [/\bturkish\b/] },
  { value: 'greek', patterns: [/\bgreek\b/] },
  { value: 'haitian_creole', patterns: [/\bhaitian creole\b/, /\bkreyòl\b/] },
  { value: 'somali', patterns: [/\bsomali\b/] },
  { value: 'swahili', patterns: [/\bswahili\b/] },
  { value: 'amharic', patterns: [/\bamharic\b/] },
];

export const URGENCY: readonly VocabularyEntry[] = [
  { value: 'emergency', patterns: [/\bemergenc(?:y|ies)\b/, /\bchest pains?\b/, /\bcan'?t breathe\b/, /\b(?:difficulty|trouble) breathing\b/] },
  { value: 'urgent', patterns: [/\burgent(?:ly)?\b/, /\basap\b/, /\bas soon as possible\b/, /\bright away\b/] },
];

export const ACCESSIBILITY_NEEDS: readonly VocabularyEntry[] = [
  { value: 'interpreter', patterns: [/\binterpreter\b/, /\btranslator\b/] },
  { value: 'sign_language', patterns: [/\bsign language\b/, /\basl\b/, /\bbsl\b/] },
  { value: 'wheelchair_access', patterns: [/\bwheelchair\b/, /\bstep-?free\b/, /\bmobility (?:aid|scooter)s?\b/] },
  { value: 'hearing_support', patterns: [/\bhearing (?:loop|impaired|aid)s?\b/, /\bdeaf\b/] },
  { value: 'large_print', patterns: [/\blarge print\b/] },
];

export function matchAll(entries: readonly VocabularyEntry[], text: string): string[] {
  return entries.filter((entry) => entry.patterns.some((pattern) => pattern.test(text))).map((entry) => entry.value);
}

export function matchFirst(entries: readonly VocabularyEntry[], text: string): string | undefined {
  return entries.find((entry) => entry.patterns.some((pattern) => pattern.test(text)))?.value;
}
