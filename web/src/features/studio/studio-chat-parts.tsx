/** Pieces of the Studio chat: message bubbles, the Architect's avatar, the first-turn intro. */
import { formatRelative } from '../../widgets/format.ts';

export interface ChatItem {
  key: string;
  role: 'user' | 'architect' | 'system';
  text: string;
  at?: string;
  actor?: string | null;
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
        {item.at && <p className="mt-1 text-[11px] text-slate-400">{formatRelative(item.at)}</p>}
      </div>
    </div>
  );
}

const STARTERS = [
  'add entity Photo with title:text!, url:url',
  'add page Gallery at /gallery as list',
  'set color primary #2563eb',
  'help',
];

/** What to say to the Architect before anything has been said. */
export function ChatIntro({ onPick }: { onPick: (text: string) => void }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-4 py-4 text-sm">
      <p className="font-medium text-slate-800">Shape the plan with the Architect</p>
      <p className="mt-1 text-slate-500">
        Describe a change in one line, or edit the Plan directly. For example:
      </p>
      <ul className="mt-2 flex flex-wrap gap-1.5">
        {STARTERS.map((text) => (
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
