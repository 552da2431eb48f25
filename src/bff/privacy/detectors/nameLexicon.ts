/**
 * Words that follow a name cue but are not names. Capitalised ones matter after weak cues
 * ("I'm Sorry", "this is Tuesday", "Thanks Doctor"); lower-case ones end a name typed in lower case
 * after a strong cue ("my name is john and i ...").
 */

const CAPITALISED = `
I Im I'm I’m Me My Mine We Us Our You Your He Him His She Her It Its They Them Their This That These
Those There Here The A An And Or But So Not No Yes Ok Okay Sorry Please Thanks Thank Hello Hi Hey Dear
Good Great Fine Well Very Really Just Also Still Only Even Now Then Today Tomorrow Yesterday Tonight
Morning Afternoon Evening Night Week Weekend Month Year Having Feeling Going Getting Trying Calling
Writing Texting Messaging Looking Wondering Hoping Waiting Worried Concerned Scared Afraid Sick Ill
Allergic Pregnant Diabetic Asthmatic Epileptic Anemic Anxious Depressed Tired Exhausted Dizzy
Nauseous Better Worse New Back Out In On At For With From To Of By About After Before Into Over
Under Again Around Currently Still Already Almost Unable Able Ready Done Available Interested
Confused Curious Happy Glad Okay Alright Home Here Outside Inside Monday Tuesday Wednesday Thursday
Friday Saturday Sunday January February March April May June July August September October November
December Doctor Dr Nurse Patient Pt Team Staff Everyone Everybody All Sir Madam Maam Ma'am Folks
Mom Mum Dad Mother Father Grandma Grandpa Husband Wife Son Daughter Brother Sister Baby Covid
Type Insurance Medicare Medicaid Pharmacy Clinic Hospital Emergency Urgent Care Portal Office
Reception Front Desk Billing Support Appointment Appointments Lab Labs Results Test Tests Refill
Refills Prescription Question Questions Help Regarding Re Fwd Subject Unfortunately Fortunately
Hispanic Latino Latina Asian Black White Catholic Jewish Muslim Christian American English Spanish
Male Female Trans Nonbinary Pediatric Adult Senior Retired Disabled Vegan Vegetarian Diabetes
Cancer Asthma Heart Blood Pain Fever Cough Flu Cold Rash Tylenol Advil Motrin Aspirin Ibuprofen
Not Sure Kind Best Warm Regards Sincerely Cheers Love Respectfully Cordially Signed Sent Thx Ty
Anyway Also However Otherwise Meanwhile Sometimes Usually Always Never Maybe Probably Definitely
What When Where Why How Who Which Whom Whose Can Could Would Should Will Shall May Might Must Do
Does Did Is Are Was Were Be Been Am Has Have Had Let Lets Let's Call Text Email Phone Number
Advocate Coordinator Services Service Relations Center Centre Department Dept Unit Records Record
Account Information Info Manager Management Desk Line Hotline Operator Someone Anyone Nobody
`;

const LOWER_CASE = `
i im i'm i’m me my we you he she it they this that there here the a an and or but so not no yes ok
okay please thanks thank hello hi hey and am is are was were be been being have has had having do
does did would can could should shall might must need needs want wants wanted calling
writing texting messaging looking wondering hoping trying going getting feeling from with for to of
in on at by about after before since because regarding re dob born age aged phone email number
cell date birth address live living here again also just still really very today tomorrow
yesterday tonight who which that sorry if when then as like than your his her their our its
back later soon asap anytime any on misspelled wrong spelled listed
`;

function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter((word) => word.length > 0));
}

export const NOT_A_CAPITALISED_NAME: ReadonlySet<string> = words(CAPITALISED);
export const NOT_A_LOWER_CASE_NAME: ReadonlySet<string> = words(LOWER_CASE);

/** Lower-case particles inside a surname: "Ana de la Cruz", "Ludwig van Beethoven". */
export const NAME_PARTICLES: ReadonlySet<string> = words('de da del della der di du la le van von bin ibn al el dos das st');
