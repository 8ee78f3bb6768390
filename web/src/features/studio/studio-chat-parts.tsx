/** Pieces of the Studio chat: message bubbles, the Architect's avatar, the first-turn intro. */

import type { AnsweredBy } from '../../api/conversation-types.ts';
import type { BlueprintDocument } from '../../api/studio-types.ts';
import { formatRelative } from '../../widgets/format.ts';
import { AnsweredByBadge } from '../conversations/answered-by-badge.tsx';

export interface ChatItem {
  key: string;
  role: 'user' | 'architect' | 'system';
  text: string;
  at?: string;
  actor?: string | null;
  /** A reply: who wrote it (the model of its recorded call, with any fallback; or rules). */
  answeredBy?: AnsweredBy | null;
}

export function ArchitectAvatar() {
  return (
    <span
      aria-hidden="true"
      className="grid size-7 shrink-0 place-items-center rounded-full bg-emerald-700 text-[11px] font-semibold text-white"
    >
      A
    </span>
  );
}

export function ChatBubble({ item }: { item: ChatItem }) {
  if (item.role === 'system') {
    return <p className="text-center text-xs text-slate-400">{item.text}</p>;
  }
  if (item.role === 'user') {
    return (
      <div className="flex justify-end" data-role="user">
        <div className="max-w-[85%] rounded-2xl rounded-tr-sm bg-emerald-700 px-3.5 py-2 text-sm whitespace-pre-wrap text-white">
          {item.text}
        </div>
      </div>
    );
  }
  return (
    <div className="flex gap-2" data-role="architect">
      <ArchitectAvatar />
      <div className="max-w-[85%]">
        <div className="rounded-2xl rounded-tl-sm bg-slate-100 px-3.5 py-2 text-sm whitespace-pre-wrap text-slate-800">
          {item.text}
        </div>
        {(item.at || item.answeredBy) && (
          <p className="mt-1 flex flex-wrap items-center gap-1.5 text-[11px] text-slate-400">
            {item.at && <span>{formatRelative(item.at)}</span>}
            {item.answeredBy && <AnsweredByBadge by={item.answeredBy} />}
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * Commands worth trying on this Blueprint: about its own first entity and page when it has them,
 * a first entity when it has none (never another app's nouns on top of this one).
 */
export function startersFor(doc: BlueprintDocument): string[] {
  const entity = doc.sections.dataModel.entities[0];
  const primary = doc.sections.designSystem.tokens.colors.primary;
  if (!entity)
    return [
      `add entity ${singularNoun(doc.feature) ?? 'Item'} with title:text!, notes:longtext`,
      'add a landing page Home at /',
      'help',
    ];
  return [
    `add field notes:longtext to ${entity.name}`,
    ...(doc.sections.pages.some((p) => p.entity === entity.name && p.kind === 'list')
      ? []
      : [`add a list page for ${entity.name}`]),
    primary
      ? `set color primary ${primary === '#2563eb' ? '#16a34a' : '#2563eb'}`
      : 'set color primary #2563eb',
    'help',
  ];
}

/** The first word of a feature name as an entity name (`Recipe box` → `Recipe`), if it is one. */
function singularNoun(feature: string): string | undefined {
  const word = feature
    .trim()
    .split(/\s+/)[0]
    ?.replace(/[^A-Za-z]/g, '');
  if (!word || word.length < 3) return undefined;
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase().replace(/s$/, '');
}

/** What to say to the Architect before anything has been said, taken from the Blueprint on screen. */
export function ChatIntro({ starters, onPick }: { starters: string[]; onPick: (text: string) => void }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-4 py-4 text-sm">
      <p className="font-medium text-slate-800">Shape the plan with the Architect</p>
      <p className="mt-1 text-slate-500">
        Describe a change in one line, or edit the Plan directly. For example:
      </p>
      <ul className="mt-2 flex flex-wrap gap-1.5">
        {starters.map((text) => (
          <li key={text}>
            <button
              type="button"
              onClick={() => onPick(text)}
              className="rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-emerald-600"
            >
              {text}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
