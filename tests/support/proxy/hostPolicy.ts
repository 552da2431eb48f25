import { isIP } from 'node:net';

/**
 * Decides where the proxy may connect for a requested host name. Test names (`*.test`,
 * `localhost`) always mean this machine; any other name is refused unless it was listed as a
 * pass-through (a staging deployment reached through normal DNS). Refusing by default keeps a
 * browser's background traffic from ever leaving the machine.
 */
export interface HostPolicy {
  /** The address to connect to, or null when the host is not allowed. */
  resolve(host: string): string | null;
}

const LOOPBACK = '127.0.0.1';

export function isTestHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost') || name.endsWith('.test')) return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

export function hostPolicy(passthroughHosts: readonly string[] = []): HostPolicy {
  const passthrough = new Set(passthroughHosts.map((host) => host.toLowerCase()));
  return {
    resolve(host) {
      const name = host.toLowerCase();
      // A listed name wins over the test rule so that a staging host ending in .test still
      // resolves through DNS.
      if (passthrough.has(name)) return name;
      if (isTestHost(name)) return isIP(name) === 4 ? name : LOOPBACK;
      return null;
    },
  };
}

/** `host:port` or `[v6]:port` from a CONNECT target; null when malformed. */
export function parseAuthority(authority: string): { host: string; port: number } | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:/?#[\]@]+)):(\d{1,5})$/.exec(authority);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: (match[1] ?? match[2] ?? '').toLowerCase(), port };
}
