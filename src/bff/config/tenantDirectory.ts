import type { Tenant } from './tenant.js';

/** Server-side tenant lookup: the only place a tenant id is derived from an embed key. */
export class TenantDirectory {
  private readonly byKey: Map<string, Tenant>;
  private readonly byId: Map<string, Tenant>;

  constructor(tenants: readonly Tenant[]) {
    this.byKey = new Map(tenants.map((t) => [t.embedKey, t]));
    this.byId = new Map(tenants.map((t) => [t.id, t]));
  }

  /** An enabled tenant by its public embed key. */
  byEmbedKey(embedKey: string): Tenant | undefined {
    const tenant = this.byKey.get(embedKey);
    return tenant?.enabled ? tenant : undefined;
  }

  /** An enabled tenant by id (ids come from verified tokens). */
  get(id: string): Tenant | undefined {
    const tenant = this.byId.get(id);
    return tenant?.enabled ? tenant : undefined;
  }
}
