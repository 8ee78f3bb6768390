import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { keys } from '../../api/query-keys.ts';
import type { Blueprint, Snapshot } from '../../api/studio-types.ts';
import { Link } from '../../app/router.tsx';
import { FormError } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { CharCount } from '../../widgets/char-count.tsx';
import { Spinner } from '../../widgets/spinner.tsx';
import { useLiveOperation } from '../operations/live-operation.ts';
import { ArchitectAvatar, ChatBubble, ChatIntro, type ChatItem, startersFor } from './studio-chat-parts.tsx';
import { useSendMessage } from './studio-queries.ts';

/** The longest chat message the API takes. */
const CHAT_LIMIT = 8000;

/** The conversation, rebuilt from the snapshots: every turn stored its message and the reply. */
function chatItems(snapshots: Snapshot[]): ChatItem[] {
  const items: ChatItem[] = [];
  for (const s of snapshots) {
    // An edit's message says where it came from (a design reference), not what someone said.
    const said = s.kind === 'edit' ? null : s.message;
    if (said)
      items.push({ key: `${s.version}-m`, role: 'user', text: said, at: s.createdAt, actor: s.actor });
    if (s.reply)
      items.push({
        key: `${s.version}-r`,
        role: 'architect',
        text: s.reply,
        at: s.createdAt,
        answeredBy: s.answeredBy,
      });
    if (!said && !s.reply) {
      const what =
        s.kind === 'create'
          ? 'created the Blueprint'
          : s.kind === 'edit'
            ? `edited the Blueprint (${s.patch.length} change${s.patch.length === 1 ? '' : 's'}${s.message ? `: ${s.message}` : ''})`
            : `changed the Blueprint (${s.kind})`;
      items.push({
        key: `${s.version}-s`,
        role: 'system',
        text: `${s.actor ?? 'Orchard'} ${what} · v${s.version}`,
        at: s.createdAt,
      });
    }
  }
  return items;
}

/**
 * Chat with the Architect. The rule-based Architect answers in the response; the LLM Architect
 * streams its reply over an operation, shown as it arrives.
 */
export function StudioChat({
  blueprint,
  snapshots,
  loading,
}: {
  blueprint: Blueprint;
  snapshots: Snapshot[];
  loading: boolean;
}) {
  const client = useQueryClient();
  const inputId = useId();
  const send = useSendMessage(blueprint.id);
  const [draft, setDraft] = useState('');
  // The message being sent, shown until the conversation has it: `userTurns` counts the user's
  // turns when it was sent, so a refetch that brings it in before the POST answers hides it.
  const [sending, setPending] = useState<{ text: string; userTurns: number } | null>(null);
  const [replyOp, setReplyOp] = useState<string | null>(null);
  const [replyError, setReplyError] = useState<string | null>(null);
  const reply = useLiveOperation(replyOp, {
    onComplete: (done) => {
      if (done.status !== 'succeeded')
        setReplyError(done.error ?? 'The Architect could not answer; try again.');
      Promise.all([
        client.invalidateQueries({ queryKey: keys.blueprint(blueprint.id) }),
        client.invalidateQueries({ queryKey: keys.snapshots(blueprint.id) }),
      ]).finally(() => {
        setReplyOp(null);
        setPending(null);
      });
    },
  });
  const list = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const items = chatItems(snapshots);
  const streaming = replyOp !== null;
  const userTurns = items.filter((i) => i.role === 'user').length;
  const pending = sending && userTurns <= sending.userTurns ? sending.text : null;

  // New turns (and streamed text) scroll into view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the conversation grows
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [items.length, pending, reply.live.llmText]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const content = draft.trim();
    if (!content || send.isPending || streaming) return;
    setPending({ text: content, userTurns });
    setReplyError(null);
    send.mutate(content, {
      onSuccess: (answer) => {
        setDraft('');
        if ('operationId' in answer && answer.operationId) setReplyOp(answer.operationId);
        else setPending(null);
      },
      onError: () => setPending(null),
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  }

  const questions = blueprint.readiness.unmet;
  const mode =
    blueprint.architectMode === 'rules' ? 'rule-based' : blueprint.architectMode === 'llm' ? 'LLM' : 'auto';
  return (
    <section
      aria-label="Chat"
      className="flex h-full min-h-0 flex-col rounded-lg border border-slate-200 bg-white shadow-xs"
    >
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Chat</h2>
        <div className="flex items-center gap-2">
          {blueprint.conversationId && (
            <Link
              to={`/conversations/${encodeURIComponent(blueprint.conversationId)}`}
              className="text-xs font-medium text-emerald-700 hover:underline"
              title="This chat as a conversation: search it, export it as Markdown or JSON"
            >
              Conversation
            </Link>
          )}
          <Badge tone="neutral">Architect: {mode}</Badge>
        </div>
      </header>
      {blueprint.architectAnswers === 'rules' && (
        <p
          className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs text-slate-600"
          data-testid="rule-based-note"
        >
          This Architect is rule-based: it follows commands (say “help”), not free conversation, and uses no
          AI model.{' '}
          <Link to="/llm" className="font-medium text-emerald-700 hover:underline">
            Configure an LLM provider
          </Link>{' '}
          to chat in your own words.
        </p>
      )}
      <div
        ref={list}
        role="log"
        aria-label="Conversation"
        className="min-h-0 flex-1 space-y-3 overflow-y-auto px-4 py-4"
      >
        {loading && (
          <p className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner className="size-4" /> Loading the conversation…
          </p>
        )}
        {!loading && !pending && !streaming && !items.some((i) => i.role !== 'system') && (
          <ChatIntro
            starters={startersFor(blueprint.blueprint)}
            onPick={(text) => {
              setDraft(text);
              input.current?.focus();
            }}
          />
        )}
        {items.map((item) => (
          <ChatBubble key={item.key} item={item} />
        ))}
        {pending && <ChatBubble item={{ key: 'pending', role: 'user', text: pending }} />}
        {(send.isPending || streaming) && (
          <div className="flex gap-2" data-testid="architect-typing">
            <ArchitectAvatar />
            <div className="max-w-[85%] rounded-2xl rounded-tl-sm bg-slate-100 px-3.5 py-2 text-sm text-slate-800">
              {reply.live.llmText ? (
                <span className="whitespace-pre-wrap" data-testid="architect-streaming">
                  {reply.live.llmText}
                </span>
              ) : (
                <span role="status" className="inline-flex items-center gap-1 text-slate-500">
                  <Spinner className="size-3.5" /> thinking…
                </span>
              )}
            </div>
          </div>
        )}
      </div>
      {questions.length > 0 && (
        <div className="border-t border-slate-100 bg-amber-50/60 px-4 py-3">
          <p className="text-xs font-semibold text-amber-900">The Architect asks</p>
          <ul aria-label="Open questions from the Architect" className="mt-1.5 space-y-1.5">
            {questions.slice(0, 3).map((q) => (
              <li key={q.rule} className="text-xs text-amber-950">
                {q.question.replace(/\s*\(for example:[\s\S]*\)$/, '')}
                {q.example && (
                  <button
                    type="button"
                    onClick={() => {
                      setDraft(q.example ?? '');
                      input.current?.focus();
                    }}
                    className="ml-1.5 rounded bg-white px-1.5 py-0.5 font-mono text-[11px] text-slate-700 ring-1 ring-amber-200 hover:ring-amber-400"
                    title="Use this example"
                  >
                    {q.example}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={submit} aria-label="Message the Architect" className="border-t border-slate-200 p-3">
        <FormError error={send.error ?? (replyError ? new Error(replyError) : null)} />
        <label htmlFor={inputId} className="sr-only">
          Message to the Architect
        </label>
        <div className="flex items-end gap-2">
          <textarea
            ref={input}
            id={inputId}
            rows={2}
            value={draft}
            maxLength={CHAT_LIMIT}
            aria-describedby={`${inputId}-count`}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            disabled={blueprint.status === 'building'}
            placeholder={
              blueprint.status === 'building'
                ? 'The Blueprint is being built…'
                : `e.g. ${startersFor(blueprint.blueprint)[0]}`
            }
            className="block min-h-10 w-full resize-none rounded-md border border-slate-300 px-3 py-2 text-sm outline-none focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20 disabled:bg-slate-50"
          />
          <Button type="submit" busy={send.isPending} disabled={!draft.trim() || streaming}>
            Send
          </Button>
        </div>
        <div className="mt-1 flex justify-end">
          <CharCount id={`${inputId}-count`} length={draft.length} max={CHAT_LIMIT} />
        </div>
      </form>
    </section>
  );
}
