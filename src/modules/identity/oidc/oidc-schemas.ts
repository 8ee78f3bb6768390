import { z } from 'zod';

/** A configured provider's name, as in its URLs. */
export const ProviderParam = z.object({
  provider: z
    .string()
    .max(32)
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'must be the name of a configured provider'),
});

/**
 * Where to go once signed in: a path of this Orchard (the login page's `?next=`). Anything that a
 * browser could read as another origin (`//host`, `/\host`, a scheme) is refused, so the sign-in
 * cannot be used to send someone elsewhere.
 */
export const ReturnToPath = z
  .string()
  .max(2000)
  .refine((value) => {
    if (!/^\/(?![/\\])/.test(value) || /[\\\u0000-\u001f\u007f]/.test(value)) return false;
    const base = 'http://orchard.invalid';
    return new URL(value, base).origin === base;
  }, 'must be a path on this Orchard, starting with a single "/"');

export const StartQuery = z.object({ returnTo: ReturnToPath.optional() });

/**
 * What a provider sends back (RFC 6749 §4.1.2, RFC 9207 `iss`). All optional: openid-client checks
 * the answer, and a missing part is a refusal the login page explains, not a 400.
 */
export const CallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
  error_uri: z.string().max(2048).optional(),
  session_state: z.string().max(1024).optional(),
});
export type CallbackQuery = z.infer<typeof CallbackQuery>;

export const OidcProviderView = z.object({
  name: z.string(),
  displayName: z.string(),
});
export const OidcProvidersView = z.object({ items: z.array(OidcProviderView) });
