import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from 'react';
import { navigate, useLocation } from '../app/router.tsx';

export interface Tabs<K extends string> {
  selected: K;
  select(key: K): void;
  tabId(key: K): string;
  panelId(key: K): string;
}

/** The state of a set of tabs: which one is selected, and the ids that tie each tab to its panel. */
export function useTabs<K extends string>(initial: K): Tabs<K> {
  const id = useId();
  const [selected, select] = useState<K>(initial);
  return {
    selected,
    select,
    tabId: (key) => `${id}-${key}-tab`,
    panelId: (key) => `${id}-${key}-panel`,
  };
}

/**
 * Tabs whose choice lives in the address (`?tab=`), so each can be linked and survives a reload.
 * The first key is the default (and leaves the address bare); an unknown value shows it too.
 */
export function useUrlTabs<K extends string>(keys: readonly [K, ...K[]], param = 'tab'): Tabs<K> {
  const id = useId();
  const { pathname, search } = useLocation();
  const wanted = search.get(param);
  const selected = keys.find((key) => key === wanted) ?? keys[0];
  return {
    selected,
    select: (key) =>
      navigate(key === keys[0] ? pathname : `${pathname}?${param}=${encodeURIComponent(key)}`, {
        replace: true,
      }),
    tabId: (key) => `${id}-${key}-tab`,
    panelId: (key) => `${id}-${key}-panel`,
  };
}

/** What a panel needs to be one: its role, id, name (its tab) and whether it shows. */
export function tabPanelProps<K extends string>(tabs: Tabs<K>, key: K) {
  return {
    role: 'tabpanel',
    id: tabs.panelId(key),
    'aria-labelledby': tabs.tabId(key),
    hidden: tabs.selected !== key,
  } as const;
}

/**
 * A row of tabs (the WAI-ARIA tabs pattern): the selected tab is the only one in the tab order;
 * arrow keys, Home and End move between tabs and show their panels.
 */
export function TabList<K extends string>({
  label,
  tabs,
  items,
  className = '',
}: {
  label: string;
  tabs: Tabs<K>;
  items: ReadonlyArray<{ key: K; label: ReactNode }>;
  className?: string;
}) {
  const buttons = useRef(new Map<K, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const at = items.findIndex((item) => item.key === tabs.selected);
    const target = {
      ArrowRight: items[(at + 1) % items.length],
      ArrowLeft: items[(at - 1 + items.length) % items.length],
      Home: items[0],
      End: items[items.length - 1],
    }[event.key]?.key;
    if (!target) return;
    event.preventDefault();
    tabs.select(target);
    buttons.current.get(target)?.focus();
  }

  return (
    <div
      role="tablist"
      aria-label={label}
      onKeyDown={onKeyDown}
      className={`flex rounded-lg border border-slate-200 bg-white p-1 shadow-xs ${className}`}
    >
      {items.map((item) => {
        const selected = tabs.selected === item.key;
        return (
          <button
            key={item.key}
            ref={(el) => {
              if (el) buttons.current.set(item.key, el);
              else buttons.current.delete(item.key);
            }}
            type="button"
            role="tab"
            id={tabs.tabId(item.key)}
            aria-selected={selected}
            aria-controls={tabs.panelId(item.key)}
            tabIndex={selected ? 0 : -1}
            onClick={() => tabs.select(item.key)}
            className={`flex-1 rounded-md px-3 py-1.5 text-sm font-medium outline-none transition focus-visible:ring-2 focus-visible:ring-emerald-600/40 ${
              selected
                ? 'bg-emerald-50 text-emerald-800'
                : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'
            }`}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
