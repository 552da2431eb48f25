import { createRequire } from 'node:module';

interface ProbeDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * dynalite opens LevelDB lazily and throws from inside its request handler when the directory is
 * locked, which would crash the process; so the lock is tested first with the very `level`
 * module dynalite loads.
 */
export async function isLevelDbFree(location: string): Promise<boolean> {
  const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: new (location: string) => ProbeDatabase };
  const db = new Level(location);
  try {
    await db.open();
  } catch (error) {
    if (isLockError(error)) return false;
    throw error;
  }
  await db.close();
  return true;
}

function isLockError(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === 'LEVEL_LOCKED') return true;
  }
  return false;
}
