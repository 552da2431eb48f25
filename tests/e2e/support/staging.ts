/**
 * A QA team's own deployment instead of the local stack: both URLs come from the environment,
 * and the fault proxy then forwards their host names through normal DNS.
 */
export interface StagingTargets {
  hostUrl: string;
  bffUrl: string;
  hosts: string[];
}

export function stagingTargets(env: NodeJS.ProcessEnv = process.env): StagingTargets | null {
  const hostUrl = env.E2E_HOST_URL?.trim();
  const bffUrl = env.E2E_BFF_URL?.trim();
  if (!hostUrl && !bffUrl) return null;
  if (!hostUrl || !bffUrl) throw new Error('set both E2E_HOST_URL and E2E_BFF_URL to run against a deployment, or neither for the local stack');
  const host = new URL(hostUrl);
  const bff = new URL(bffUrl);
  return { hostUrl: host.href, bffUrl: bff.origin, hosts: [...new Set([host.hostname, bff.hostname])] };
}
