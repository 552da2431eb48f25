import type { Tenant } from './tenant.js';

/** Where a backing service lives: started in-process on loopback, real AWS, or a given URL. */
export type Endpoint = { kind: 'embedded' } | { kind: 'aws' } | { kind: 'url'; url: string };

export interface Config {
  production: boolean;
  port: number;
  publicOrigin: string;
  tenantsFile: string;
  tenants: readonly Tenant[];
  dynamodbEndpoint: Endpoint;
  bedrockEndpoint: Endpoint;
  bedrockModelId: string;
  awsRegion: string;
  tablePrefix: string;
  dataDir: string;
  tokenTtlStreamS: number;
  tokenTtlManageS: number;
  /** SSE comment heartbeat interval; the widget's stall watchdog is derived from it. */
  heartbeatMs: number;
  /** How long an idle client connection (a load balancer's, in production) is kept open. */
  keepAliveMs: number;
  /** 0 serves no demo host page. */
  demoHostPort: number;
  /** Widget fault-injection hooks for e2e tests (TEST_HOOKS=1); never in production. */
  testHooks?: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}
