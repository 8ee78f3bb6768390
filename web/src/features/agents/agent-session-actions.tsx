import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AgentSession } from '../../api/agent-session-types.ts';
import { ApiError, api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { TextAreaField } from '../../widgets/field.tsx';

/** Stops a queued or running session; the transcript shows how it ended. */
export function CancelSessionButton({ session }: { session: AgentSession }) {
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => api.post<AgentSession>(`/api/agent-sessions/${seg(session.id)}/cancel`),
    onSuccess: (updated) => client.setQueryData(keys.agentSession(session.id), updated),
  });
  return (
    <div className="flex flex-col items-end gap-2">
      <Button variant="secondary" busy={cancel.isPending} onClick={() => cancel.mutate()}>
        Cancel session
      </Button>
      {cancel.isError && <ErrorAlert error={cancel.error} />}
    </div>
  );
}

/**
 * Once a session has ended: another instruction, which starts a new run on the same branch that
 * continues the conversation. `onSent` follows the new run.
 */
export function FollowUpForm({ session, onSent }: { session: AgentSession; onSent: () => void }) {
  const client = useQueryClient();
  const [content, setContent] = useState('');
  const send = useMutation({
    mutationFn: (text: string) =>
      api.post<AgentSession>(`/api/agent-sessions/${seg(session.id)}/messages`, { content: text }),
    onSuccess: (updated) => {
      client.setQueryData(keys.agentSession(session.id), updated);
      void client.invalidateQueries({ queryKey: keys.agentSessions(session.projectSlug) });
      setContent('');
      onSent();
    },
  });
  const fieldError = send.error instanceof ApiError ? send.error.fieldErrors().content : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (content.trim()) send.mutate(content.trim());
  }

  return (
    <form onSubmit={submit} aria-label="Follow-up" className="space-y-3">
      {send.isError && !fieldError && <ErrorAlert error={send.error} />}
      <TextAreaField
        label="Follow-up instruction"
        name="content"
        rows={3}
        maxLength={100_000}
        value={content}
        onChange={(e) => setContent(e.target.value)}
        hint="The agent continues on the same branch, with the whole conversation so far."
        error={fieldError}
      />
      <Button type="submit" busy={send.isPending} disabled={!content.trim()}>
        Send
      </Button>
    </form>
  );
}
