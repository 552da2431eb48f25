import { pino, type Logger, type LevelWithSilent } from 'pino';

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
    },
    destination,
  );
}
