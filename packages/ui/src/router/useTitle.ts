import { useEffect } from 'preact/hooks';

/** The browser tab says which page (and which trace) it is. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · tracedock`;
  }, [title]);
}
