import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/loadConfig.js';

const SALT_FILE = 'audit-ip-salt';
const MIN_SALT_LENGTH = 32;

/**
 * HMAC rather than a plain hash: the IPv4 space is small enough to hash exhaustively, so without
 * a secret salt an ipHash would be an IP address in disguise.
 */
export function hashIp(salt: string, ip: string): string {
  const normalised = ip.trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return createHmac('sha256', salt).update(normalised).digest('hex');
}

export interface IpSaltSource {
  env: Record<string, string | undefined>;
  dataDir: string;
  production: boolean;
}

/**
 * One salt per deployment: AUDIT_IP_SALT when set (required in production, so every process of
 * a deployment hashes alike); otherwise a random salt kept in DATA_DIR, which the processes of a
 * local stack share.
 */
export function resolveIpSalt(source: IpSaltSource): string {
  const configured = source.env.AUDIT_IP_SALT;
  if (configured !== undefined && configured !== '') {
    if (configured.length < MIN_SALT_LENGTH) throw new ConfigError(`AUDIT_IP_SALT must be at least ${MIN_SALT_LENGTH} characters`);
    return configured;
  }
  if (source.production) throw new ConfigError('AUDIT_IP_SALT is required when NODE_ENV=production');
  const file = path.join(source.dataDir, SALT_FILE);
  mkdirSync(source.dataDir, { recursive: true });
  // Written aside and linked into place: link() fails if another process got there first, and
  // a reader never sees a half-written file.
  const candidate = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(candidate, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(candidate, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(candidate);
  }
  const salt = readFileSync(file, 'utf8').trim();
  if (salt.length < MIN_SALT_LENGTH) throw new ConfigError(`${file} holds no usable salt`);
  return salt;
}
