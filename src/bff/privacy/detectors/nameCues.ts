import { anyCase } from '../textPatterns.js';

/**
 * The phrases that announce a name. How much a cue vouches for what follows sets how the name is
 * read (see readName): after "my name is" even lower-case words are a name; after "I'm" only a
 * capitalised word that is not a common word ("I'm Sorry") is.
 */
export type CueStrength = 'statement' | 'title' | 'mention';

const KIN = String.raw`(?:husband|wife|son|daughter|mother|father|mom|mum|dad|brother|sister|partner|spouse|caregiver|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|aunt|uncle|niece|nephew|cousin|friend|neighbou?r|boyfriend|girlfriend|fianc[eé]e?|child|baby|kid|stepson|stepdaughter|stepmother|stepfather|roommate|landlord|boss|coworker|guardian|parent|sibling|twin)`;

const STATEMENT = String.raw`my\s{1,3}name\s{1,3}is|my\s{1,3}name['’]s|name\s{1,3}is|name['’]s|names\s{1,3}are|(?:full|legal|first|last|given|family|maiden|preferred|patient['’]?s?|member['’]?s?|caller['’]?s?)\s{1,3}name(?:\s{1,3}is)?|surname(?:\s{1,3}is)?|nickname(?:\s{1,3}is)?|names?\s{1,3}of\s{1,3}(?:the\s{1,3})?(?:patient|caller|member)(?:\s{1,3}is)?|i\s{1,3}am\s{1,3}called|under\s{1,3}the\s{1,3}name(?:\s{1,3}of)?|name\s{1,3}on\s{1,3}(?:the\s{1,3})?(?:account|card|file|chart|booking|policy|insurance)(?:\s{1,3}is)?|name(?=\s{0,2}[:\-–])`;

const MENTION = String.raw`i['’]?m|i\s{1,3}am|this\s{1,3}is|it['’]s|it\s{1,3}is|patient(?:\s{1,3}is)?|pt\.?|hi|hello|hey|dear|good\s{1,3}(?:morning|afternoon|evening)|signed|sincerely|regards|best\s{1,3}regards|kind\s{1,3}regards|warm\s{1,3}regards|best\s{1,3}wishes|thanks|thank\s{1,3}you|many\s{1,3}thanks|thx|cheers|best|respectfully|cc|attn|attention|ask\s{1,3}for|asked\s{1,3}for|speak\s{1,3}(?:to|with)|spoke\s{1,3}(?:to|with)|talk(?:ed)?\s{1,3}(?:to|with)|contact|named|called|call\s{1,3}me|goes\s{1,3}by|go\s{1,3}by|known\s{1,3}as|aka|on\s{1,3}behalf\s{1,3}of|booked\s{1,3}under|registered\s{1,3}under|it['’]?s\s{1,3}under|my\s{1,3}${KIN}(?:['’]s\s{1,3}name\s{1,3}is|\s{1,3}is\s{1,3}named|\s{1,3}named|\s{1,3}called|\s{1,3}is)?|${KIN}\s{1,3}named|emergency\s{1,3}contact(?:\s{1,3}is)?|next\s{1,3}of\s{1,3}kin(?:\s{1,3}is)?|pcp(?:\s{1,3}is)?|provider(?:\s{1,3}is)?|therapist(?:\s{1,3}is)?|surgeon(?:\s{1,3}is)?|physician(?:\s{1,3}is)?|referred\s{1,3}by|seen\s{1,3}by|with\s{1,3}(?:my\s{1,3})?(?:pcp|therapist|surgeon|provider)`;

/** Titles are case-sensitive: "MS" is multiple sclerosis, "Ms" is a title. */
const TITLE = String.raw`(?:Dr|DR|dr|Drs|Doctor|doctor|Mr|Mrs|Ms|Miss|Mx|Mister|Prof|Professor|Nurse|nurse|Rev|Reverend|Pastor|Father|Sister|Brother|Judge|Officer|Capt|Captain|Sgt|Sergeant|Coach|Dean|Rabbi|Imam)\.?`;

const SEPARATOR = String.raw`\s{0,3}[,:\-–]?\s{0,3}`;

export const CUES: ReadonlyArray<{ strength: CueStrength; pattern: RegExp }> = [
  { strength: 'statement', pattern: new RegExp(String.raw`(?<![\p{L}])(?:${STATEMENT})(?![\p{L}])${SEPARATOR}`, 'giu') },
  { strength: 'title', pattern: new RegExp(String.raw`(?<![\p{L}])${TITLE}\s{1,3}`, 'gu') },
  { strength: 'mention', pattern: new RegExp(String.raw`(?<![\p{L}])(?:${MENTION})(?![\p{L}])${SEPARATOR}`, 'giu') },
];

const NAME_WORD = String.raw`\p{Lu}\p{Ll}{1,24}(?:[-'’]\p{Lu}?\p{Ll}{1,24})?`;

/** "John Smith, DOB 3/14/62": two or three capitalised words right before a record cue. */
export const BEFORE_RECORD_CUE = new RegExp(
  String.raw`(?<![\p{L}])(${NAME_WORD}(?:\s{1,2}\p{Lu}\.?)?(?:\s{1,2}${NAME_WORD}){1,2})(?=\s{0,2}[,(]?\s{0,2}(?:${anyCase(['dob', 'd.o.b', 'date of birth', 'born', 'mrn', 'ssn', 'aged', 'age'])})(?![\p{L}]))`,
  'gdu',
);

/** "- Maria Lopez" closing a message, the way people sign texts. */
export const SIGN_OFF = new RegExp(
  String.raw`(?:^|\s)[-–—~]{1,2}\s?(${NAME_WORD}(?:\s${NAME_WORD}){0,2})\s{0,3}[.!]?\s{0,3}$`,
  'gdu',
);
