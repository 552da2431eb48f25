import { AppError } from '../errors.js';

/**
 * Runs one storage call and turns any infrastructure failure into `storage_unavailable` (503),
 * so callers fail closed. Conditional-check failures pass through untouched: they are answers.
 */
export async function withStorageErrors<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') throw error;
    throw new AppError('storage_unavailable', 'Conversation storage is unavailable; try again shortly', {
      retryAfterS: 2,
      cause: Object.assign(new Error(`storage operation ${operation} failed`), { cause: error }),
    });
  }
}
