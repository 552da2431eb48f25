/** What the service keeps and for how long, as docs/persistence.md states it; shown to the person. */
export const retention: ReadonlyArray<{ what: string; kept: string }> = [
  { what: 'Messages', kept: '24 hours' },
  { what: 'Conversation summary', kept: '7 days' },
  { what: 'Facts noted from the conversation', kept: '7 days' },
  { what: 'Reply delivery records', kept: '24 hours' },
  { what: 'Audit log (who did what and when, never what was said)', kept: 'several years' },
];
