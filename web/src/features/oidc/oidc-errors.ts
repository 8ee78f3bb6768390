/**
 * Why a single sign-on failed, in words: the server sends the browser to `/login?error=<code>`
 * with one of these codes (src/modules/identity/oidc/oidc-refusal.ts). Only codes travel in the
 * URL, never text, so a crafted link cannot put its own words on the login page.
 */
const MESSAGES: Record<string, (provider: string) => string> = {
  no_attempt: () =>
    'This sign-in could not be matched to this browser: it was already used, or started in another tab or browser. Try again.',
  expired: () => 'The sign-in took longer than ten minutes. Try again.',
  state_mismatch: (p) =>
    `The answer from ${p} does not belong to the sign-in this browser started, so it was refused. Try again.`,
  access_denied: (p) => `Signing in with ${p} was cancelled.`,
  provider_error: (p) =>
    `${p} refused the sign-in, or sent an answer Orchard could not verify. Try again; if it keeps failing, an admin can find the reason in Orchard's log.`,
  provider_unavailable: (p) => `${p} could not be reached. Try again later, or sign in another way.`,
  setup_needed: () => 'Orchard has no admin yet. Create the admin on the setup page first, then sign in.',
  signup_closed: (p) =>
    `You have no Orchard account yet, and signing in with ${p} does not create one. Ask an admin to create your account.`,
  email_missing: (p) =>
    `${p} did not share your email address, which a new Orchard account needs. Ask an admin to create your account.`,
  email_unverified: (p) =>
    `An Orchard account has your email address, but ${p} does not say the address is verified, so it was not linked. Sign in with your password or a passkey.`,
  account_exists: (p) =>
    `An Orchard account already has your email address, and accounts are not linked to ${p} by email. Sign in with your password or a passkey, or ask an admin.`,
  already_linked: (p) =>
    `Your Orchard account is already linked to another ${p} identity. Sign in with that one, or ask an admin.`,
  account_disabled: () => 'Your Orchard account is disabled. Ask an admin.',
  not_a_person: () => 'This is an agent or service account: those act with API tokens and cannot sign in.',
  server_error: () =>
    "Something went wrong on Orchard's side while signing you in. Try again; if it keeps failing, an admin can find the details in Orchard's log.",
};

export function oidcErrorMessage(code: string, provider: string): string {
  return (MESSAGES[code] ?? ((p: string) => `Signing in with ${p} did not work. Try again.`))(provider);
}
