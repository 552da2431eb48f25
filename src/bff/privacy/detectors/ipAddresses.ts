import { matchSpans } from '../matchSpans.js';
import { Certainty, type PhiDetector } from '../phiTypes.js';

/** IPv4 and IPv6 addresses. */

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;

/** Four-part version numbers ("version 10.0.1.2") keep their label and are left alone. */
const IPV4 = new RegExp(
  String.raw`(?<![\w.])(?<!\b(?:v|ver\.?\s{0,2}|version\s{1,3}|build\s{1,3}))(?:${OCTET}\.){3}${OCTET}(?![\w]|\.\d)(?::\d{1,5}(?!\d))?`,
  'gi',
);

/**
 * A cheap superset of IPv6 text (hex groups and colons, maybe an IPv4 tail); isIpv6 then decides.
 * Clock times like "10:30:45" pass the regex but fail the group count.
 */
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])(?:%[\w]{1,16})?/gi;

export const detectIpAddresses: PhiDetector = (text) => [
  ...matchSpans(text, IPV4, 'IP', Certainty.shaped),
  ...matchSpans(text, IPV6_CANDIDATE, 'IP', Certainty.shaped, { accept: isIpv6 }),
];

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const IPV4_TAIL = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIpv6(candidate: string): boolean {
  const address = candidate.replace(/%[\w]+$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  let width = 0;
  for (const [index, group] of groups.entries()) {
    if (index === groups.length - 1 && IPV4_TAIL.test(group)) width += 2;
    else if (HEX_GROUP.test(group)) width += 1;
    else return false;
  }
  return halves.length === 2 ? width <= 7 && width >= 1 : width === 8;
}
