import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from './router.tsx';

export interface Menu {
  open: boolean;
  toggle(): void;
  /** Closes; `refocus` gives the focus back to the button (Escape), else it stays where it went. */
  close(refocus?: boolean): void;
  button: RefObject<HTMLButtonElement | null>;
  panel: RefObject<HTMLDivElement | null>;
}

/**
 * A disclosure menu (the top bar on a phone): opening moves the focus to its first link; Escape
 * closes it and gives the focus back to its button; a click outside, the focus leaving it, or a
 * navigation closes it too.
 */
export function useMenu(): Menu {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const { pathname } = useLocation();

  const close = useCallback((refocus = false) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);

  const openNow = useRef(open);
  openNow.current = open;
  // A new page: the menu has done its job. The link that was followed hides with it, so the focus
  // goes to the page that opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the pathname is the trigger, not an input
  useEffect(() => {
    if (!openNow.current) return;
    const hadFocus = panel.current?.contains(document.activeElement);
    setOpen(false);
    if (hadFocus) document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('a[href], button')?.focus();
    const inside = (target: EventTarget | null) =>
      target instanceof Node && (panel.current?.contains(target) || button.current?.contains(target));
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close(true);
    };
    const onPointer = (event: PointerEvent) => {
      if (!inside(event.target)) close();
    };
    const onFocus = (event: FocusEvent) => {
      if (!inside(event.target)) close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('focusin', onFocus);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('focusin', onFocus);
    };
  }, [open, close]);

  return { open, toggle: () => setOpen((o) => !o), close, button, panel };
}
