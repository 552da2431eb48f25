import { startBedrockEmulator } from './server.js';

/** `npm run emulator:bedrock`: the emulator on its own, for curl, the SDK or another BFF. */
function integerFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > max) {
    process.stderr.write(`${name} must be an integer between 0 and ${max}\n`);
    process.exit(1);
  }
  return value;
}

const emulator = await startBedrockEmulator({
  port: integerFromEnv('BEDROCK_EMULATOR_PORT', 4010, 65535),
  tokenDelayMs: integerFromEnv('BEDROCK_EMULATOR_TOKEN_DELAY_MS', 15, 60_000),
});
process.stdout.write(`Bedrock emulator listening on ${emulator.url}\n`);

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
