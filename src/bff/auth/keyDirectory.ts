import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isPrivateEcJwk, type PrivateEcJwk } from './signingKey.js';

/**
 * Development signing keys on disk, shared by every process using the same DATA_DIR. Each key is
 * one immutable file named by its order (key-0000000003.jwk.json). A file appears atomically
 * (written under a private temporary name, then hard-linked into place; link() refuses to replace
 * an existing name), so a reader never sees half a key and two processes racing to add the same
 * order cannot both win.
 */
export interface KeyRecord {
  order: number;
  kid: string;
  createdAt: number;
  activateAt: number;
  jwk: PrivateEcJwk;
}

const KEY_FILE = /^key-(\d{10})\.jwk\.json$/;

function fileNameOf(order: number): string {
  return `key-${String(order).padStart(10, '0')}.jwk.json`;
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

export async function prepareKeyDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory's mode alone and is subject to the umask.
  await chmod(dir, 0o700);
}

export async function listKeyFiles(dir: string): Promise<{ order: number; name: string }[]> {
  const names = await readdir(dir);
  return names.flatMap((name) => {
    const match = KEY_FILE.exec(name);
    return match?.[1] === undefined ? [] : [{ order: Number(match[1]), name }];
  });
}

/** Undefined when the file vanished meanwhile (another process removed an expired key). */
export async function readKeyFile(dir: string, order: number): Promise<KeyRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, fileNameOf(order)), 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new TypeError(`${fileNameOf(order)} is not a key record`);
  const record = parsed as Record<string, unknown>;
  const { kid, createdAt, activateAt, jwk } = record;
  if (
    typeof kid !== 'string' ||
    kid === '' ||
    typeof createdAt !== 'number' ||
    typeof activateAt !== 'number' ||
    !isPrivateEcJwk(jwk)
  ) {
    throw new TypeError(`${fileNameOf(order)} is not a key record`);
  }
  return { order, kid, createdAt, activateAt, jwk };
}

/** Writes the record as a new key file; false when another process already took that order. */
export async function publishKeyFile(dir: string, record: KeyRecord): Promise<boolean> {
  const { order, ...content } = record;
  const temporary = path.join(dir, `.tmp-${process.pid}-${randomBytes(8).toString('hex')}`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.chmod(0o600);
      await handle.writeFile(JSON.stringify(content));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporary, path.join(dir, fileNameOf(order)));
    return true;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

export async function removeKeyFile(dir: string, order: number): Promise<void> {
  await unlink(path.join(dir, fileNameOf(order))).catch((error: unknown) => {
    if (!hasCode(error, 'ENOENT')) throw error;
  });
}
