import { z } from 'zod';

/** An exact web origin: scheme, host and optional port, nothing else. */
const origin = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      // URL accepts hosts such as `*.clinic.example`; an allowlist entry must be one real host.
      const host = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/;
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value && host.test(url.hostname);
    } catch {
      return false;
    }
  }, 'must be an exact origin such as https://clinic.example (no path, no trailing slash)');

export const themeSchema = z
  .object({
    accent: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
    title: z.string().max(60).optional(),
    greeting: z.string().max(280).optional(),
  })
  .strict();

export const tenantSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes'),
  embedKey: z.string().regex(/^pk_[A-Za-z0-9_]{8,64}$/, 'pk_ followed by 8..64 letters, digits or _'),
  name: z.string().min(1).max(100).optional(),
  allowedOrigins: z.array(origin).min(1),
  modelId: z.string().min(1).optional(),
  systemPrompt: z.string().max(8000).optional(),
  theme: themeSchema.optional(),
  enabled: z.boolean().default(true),
});

export const tenantsFileSchema = z.object({ tenants: z.array(tenantSchema).min(1) });

export type Tenant = z.infer<typeof tenantSchema>;
export type Theme = z.infer<typeof themeSchema>;
