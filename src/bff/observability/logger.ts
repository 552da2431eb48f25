import { pino, type Logger, type LevelWithSilent } from 'pino';
import { currentRequestId } from './requestContext.js';

export type { Logger };

/**
 * Paths that could carry message text, tokens or PHI. Routes never log bodies, but a careless
 * `log.info({ req })` must still come out clean, so the logger censors these wherever they appear.
 */
const REDACTED_PATHS = [
  'text',
  '*.text',
  'body',
  '*.body',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'messages',
  '*.messages',
  'summary',
  '*.summary',
  'prompt',
  '*.prompt',
];

export function createLogger(level: LevelWithSilent, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'picasso-bff' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Lines written by services deep inside a request carry its id without threading it through.
      // The request logger's own lines already carry the id in their bindings.
      mixin: (_object, _level, logger) => {
        const reqId = currentRequestId();
        return reqId === undefined || 'reqId' in logger.bindings() ? {} : { reqId };
      },
    },
    destination,
  );
}
