import { SmtpCard } from '../notifications/smtp-card.tsx';
import { PasskeyPolicyCard } from '../passkeys/passkey-policy-card.tsx';
import { InstanceSummaryCard } from './instance-summary-card.tsx';
import { RevokeSessionsCard } from './revoke-sessions-card.tsx';

/** The Instance tab: the passkey policy, signing everyone out, email (SMTP), and the instance's set-up. */
export function InstancePanel() {
  return (
    <div className="space-y-6">
      <PasskeyPolicyCard />
      <RevokeSessionsCard />
      <SmtpCard />
      <InstanceSummaryCard />
    </div>
  );
}
