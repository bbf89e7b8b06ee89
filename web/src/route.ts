// The desk's address lives in the URL fragment: #/queue?status=new, #/letter/ID,
// #/settings, #/tray, #/outbox, #/link/TOKEN, #/reset.
import { useEffect, useState } from 'react';

export type Route = { page: string; arg: string | null; params: URLSearchParams };

export function parseHash(hash: string): Route {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  const [page, arg] = (path ?? '').split('/');
  return { page: page || 'queue', arg: arg ? decodeURIComponent(arg) : null, params: new URLSearchParams(query ?? '') };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(hash: string): void {
  location.hash = hash;
}
