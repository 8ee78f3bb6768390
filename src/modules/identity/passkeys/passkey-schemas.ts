import { z } from 'zod';

/** base64url as WebAuthn's JSON forms carry binary (padding tolerated), bounded. */
const base64url = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url (A–Z, a–z, 0–9, "-", "_")');
const required = (max: number) => base64url(max).min(1, 'must not be empty');

/** Credential ids are at most 1023 bytes. */
const CredentialId = required(1400);
/** A transport the browser reports (`internal`, `usb`, `hybrid` …); new ones are kept as they come. */
const Transport = z
  .string()
  .max(32)
  .regex(/^[a-z][a-z-]*$/, 'must be a transport name such as internal, usb or hybrid');
const ExtensionResults = z
  .object({ credProps: z.object({ rk: z.boolean().optional() }).optional() })
  .prefault({});

export const PasskeyName = z
  .string()
  .trim()
  .min(1, 'give the passkey a name, e.g. "work laptop"')
  .max(64, 'use at most 64 characters');

/** What `navigator.credentials.create()` answered, as `@simplewebauthn/browser` sends it. */
export const RegistrationResponse = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key', 'must be "public-key"'),
  response: z.object({
    clientDataJSON: required(16_384),
    attestationObject: required(131_072),
    authenticatorData: base64url(131_072).optional(),
    transports: z.array(Transport).max(10).optional(),
    publicKeyAlgorithm: z.number().int().min(-65_536).max(65_536).optional(),
    publicKey: base64url(16_384).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: ExtensionResults,
});

/** What `navigator.credentials.get()` answered, as `@simplewebauthn/browser` sends it. */
export const AuthenticationResponse = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key', 'must be "public-key"'),
  response: z.object({
    clientDataJSON: required(16_384),
    authenticatorData: required(16_384),
    signature: required(4_096),
    userHandle: base64url(256).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: ExtensionResults,
});

export const RegisterPasskeyBody = z.object({ name: PasskeyName, response: RegistrationResponse });
export const RenamePasskeyBody = z.object({ name: PasskeyName });
export const PasskeySignInBody = z.object({ response: AuthenticationResponse });
export const PasskeyPolicyBody = z.object({
  /** People without a passkey who sign in with a password must register one before anything else. */
  requirePasskeys: z.boolean(),
});

export const PasskeyView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** Synced (a passkey manager) or bound to one device. */
  deviceType: z.enum(['singleDevice', 'multiDevice']),
  backedUp: z.boolean(),
  transports: z.array(z.string()),
});
export type PasskeyView = z.infer<typeof PasskeyView>;

export const PasskeyPolicyView = z.object({
  requirePasskeys: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type PasskeyPolicyView = z.infer<typeof PasskeyPolicyView>;

const Descriptor = z.object({
  id: z.string(),
  type: z.string(),
  transports: z.array(z.string()).optional(),
});

/** For `navigator.credentials.create()` (`startRegistration({ optionsJSON })`), made by @simplewebauthn/server. */
export const CreationOptions = z.object({
  rp: z.object({ id: z.string().optional(), name: z.string() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ type: z.string(), alg: z.number() })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(Descriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.string().optional(),
      residentKey: z.string().optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.string().optional(),
    })
    .optional(),
  attestation: z.string().optional(),
  hints: z.array(z.string()).optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});

/** For `navigator.credentials.get()` (`startAuthentication({ optionsJSON })`): any discoverable passkey. */
export const RequestOptions = z.object({
  challenge: z.string(),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(Descriptor).optional(),
  userVerification: z.string().optional(),
  hints: z.array(z.string()).optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});
