import { useEffect, useState } from 'preact/hooks';

export { href } from './href.js';

/**
 * History routing: the URL is the state. Every filter lives in the query string, so a URL
 * can be shared and reloaded (the collector answers client routes with index.html).
 */

export interface AppLocation {
  path: string;
  params: URLSearchParams;
  /** path + search + a navigation count, for effect dependencies. */
  key: string;
}

const CHANGE_EVENT = 'tracedock:navigate';
/**
 * Counts navigations, so that submitting the same search again (a relative range that now
 * ends later) is a new location that pages fetch for.
 */
let navigations = 0;

function current(): AppLocation {
  const { pathname, search } = window.location;
  return { path: pathname, params: new URLSearchParams(search), key: `${pathname}${search}#${navigations}` };
}

/** Goes to `href` (same origin) without a reload; `replace` rewrites the current entry. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  navigations += 1;
  window.dispatchEvent(new Event(CHANGE_EVENT));
  if (options.replace !== true) window.scrollTo(0, 0);
}

export function useLocation(): AppLocation {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = (): void => setLocation(current());
    const back = (): void => {
      navigations += 1;
      update();
    };
    window.addEventListener('popstate', back);
    window.addEventListener(CHANGE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', back);
      window.removeEventListener(CHANGE_EVENT, update);
    };
  }, []);
  return location;
}

/** Clicks that the browser should handle itself: new tab, new window, download. */
export function isModifiedClick(event: MouseEvent): boolean {
  return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}
