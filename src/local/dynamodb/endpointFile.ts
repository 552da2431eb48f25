import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Where the process that owns the embedded DynamoDB of a data directory announces its URL. */
export interface EndpointRecord {
  url: string;
  pid: number;
}

export function endpointPath(dbRoot: string): string {
  return path.join(dbRoot, 'endpoint.json');
}

export function readEndpoint(dbRoot: string): EndpointRecord | undefined {
  try {
    const json: unknown = JSON.parse(readFileSync(endpointPath(dbRoot), 'utf8'));
    if (typeof json !== 'object' || json === null) return undefined;
    const { url, pid } = json as Record<string, unknown>;
    return typeof url === 'string' && Number.isSafeInteger(pid) ? { url, pid: pid as number } : undefined;
  } catch {
    return undefined;
  }
}

/** Written via rename so a reader never sees half a file. */
export function writeEndpoint(dbRoot: string, record: EndpointRecord): void {
  const temporary = `${endpointPath(dbRoot)}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record));
  renameSync(temporary, endpointPath(dbRoot));
}

export function removeEndpointIfOwned(dbRoot: string, record: EndpointRecord): void {
  const current = readEndpoint(dbRoot);
  if (current && current.pid === record.pid && current.url === record.url) {
    rmSync(endpointPath(dbRoot), { force: true });
  }
}

/** A pid is live if signal 0 reaches it; EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against a reused pid: the owner must also still accept connections. */
export function isReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    const done = (reachable: boolean): void => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
