import { ErrorAlert } from '../../widgets/alert.tsx';
import { ceremonyMessage } from './passkey-ceremonies.ts';

/** A failed ceremony: the browser's refusal in plain words, else the server's problem detail. */
export function PasskeyError({ error }: { error: unknown }) {
  if (!error) return null;
  const message = ceremonyMessage(error);
  return <ErrorAlert error={message ? new Error(message) : error} />;
}
