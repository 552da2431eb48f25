import { z } from 'zod';

export const MAX_MESSAGE_CHARS = 4000;

/** Text a person typed: no control characters except tab and newlines, not blank. */
const messageText = z
  .string({ error: 'text must be a string' })
  .max(MAX_MESSAGE_CHARS, `text must be at most ${MAX_MESSAGE_CHARS} characters`)
  .refine((text) => text.trim().length > 0, 'text must not be empty')
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text), 'text contains control characters')
  // A lone surrogate is not a character: it cannot be stored as UTF-8 (DynamoDB refuses it).
  .refine((text) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text), 'text is not well-formed Unicode');

export const messageId = z.uuid({ error: 'messageId must be a UUID' });

export const createSessionBody = z.object({ tenant: z.string().min(1).max(100) }).strict();

export const chatBody = z.object({ messageId, text: messageText }).strict();

export const stopBody = z.object({ messageId }).strict();

/** SSE ids are decimal sequence numbers; anything else is a client bug, not a resume point. */
export const lastEventId = z
  .string()
  .regex(/^\d{1,9}$/, 'Last-Event-ID must be an event id from this stream')
  .transform(Number);
