// The desk's address lives in the URL fragment (#/queue?status=new,
// #/letter/ID, #/tray/ID, …), so that the server serves one page and a
// bookmark or a reload opens the same screen. wouter does the routing; this
// file only teaches it where the path and the query are in a fragment:
// wouter's own hash hook puts the query outside the fragment, which would
// break every link the desk and its mail have handed out.
import { useSyncExternalStore } from 'react';
import type { BaseLocationHook, BaseSearchHook } from 'wouter';

const subscribe = (cb: () => void) => {
  addEventListener('hashchange', cb);
  return () => removeEventListener('hashchange', cb);
};
const fragment = () => location.hash.replace(/^#\/?/, '');
const pathOf = () => `/${fragment().split('?')[0] ?? ''}`;
const searchOf = () => fragment().split('?')[1] ?? '';

/** Goes to a desk address: `/queue?status=new` or `#/queue?status=new`. */
export function go(to: string, opts: { replace?: boolean } = {}): void {
  const hash = `#/${to.replace(/^#?\/?/, '')}`;
  if (opts.replace) {
    history.replaceState(history.state, '', hash);
    dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = hash;
}

export const useFragmentLocation: BaseLocationHook = () => [useSyncExternalStore(subscribe, pathOf), (to: string, opts?: { replace?: boolean }) => go(to, opts)];
export const useFragmentSearch: BaseSearchHook = () => useSyncExternalStore(subscribe, searchOf);
/** Links rendered by wouter's <Link> point into the fragment too. */
useFragmentLocation.hrefs = (href: string) => `#${href}`;

/** The current query, as URLSearchParams. */
export function useParams(): URLSearchParams {
  return new URLSearchParams(useFragmentSearch());
}

/** An address in the queue with some parameters changed (and paging reset). */
export function queueHref(p: URLSearchParams, changes: Record<string, string | null>): string {
  const n = new URLSearchParams(p);
  for (const [k, v] of Object.entries(changes)) (v === null || v === '' ? n.delete(k) : n.set(k, v));
  if (!('cursor' in changes)) n.delete('cursor');
  return `#/queue?${n.toString()}`;
}
