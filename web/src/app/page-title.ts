import { useEffect } from 'react';

/** Each page names itself in the tab title (screen readers announce it too). */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Orchard` : 'Orchard';
  }, [title]);
}
