// Who else has this letter open. The view says it is here every 10 seconds
// (and whether its editor is editing), hears who else is, and says goodbye
// when it closes; the server keeps this in the database, so editors served
// by different nodes see each other. The answer also carries the letter's
// version, so a view learns that someone changed the letter meanwhile.
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type PresenceAnswer } from './api.ts';

export const HEARTBEAT_MS = 10_000;

export function usePresence(letterId: string, editing: boolean): { others: PresenceAnswer['others']; version: number | null } {
  const q = useQuery({
    queryKey: ['presence', letterId, editing],
    queryFn: () => api<PresenceAnswer>('POST', `/api/v1/letters/${encodeURIComponent(letterId)}/presence`, { editing }),
    refetchInterval: HEARTBEAT_MS,
    refetchIntervalInBackground: true,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  useEffect(
    () => () => {
      void api('DELETE', `/api/v1/letters/${encodeURIComponent(letterId)}/presence`).catch(() => {});
    },
    [letterId],
  );
  return { others: q.data?.others ?? [], version: q.data?.version ?? null };
}

export function PresenceLine({ others }: { others: PresenceAnswer['others'] }) {
  if (!others.length) return null;
  const editing = others.filter((o) => o.editing);
  const names = others.map((o) => o.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return (
    <p className="presence" role="status">
      <span aria-hidden="true">●</span> {list} {others.length === 1 ? 'has' : 'have'} this letter open
      {editing.length ? `; ${editing.map((o) => o.name).join(' and ')} ${editing.length === 1 ? 'is' : 'are'} editing it` : ''}. Your changes will not overwrite theirs: if they save first, you will be told.
    </p>
  );
}
