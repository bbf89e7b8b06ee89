// What the desk reads from the API, through TanStack Query: one cache for
// every screen (a letter changed on its page is fresh in the queue), loading
// and error states, refetching when the window regains focus. Keys are here so
// that a change can say what it makes stale.
import { keepPreviousData, QueryClient, useQuery } from '@tanstack/react-query';
import {
  api,
  ApiError,
  type ColleagueView,
  type InboundMessageView,
  type LetterContextView,
  type LetterDetail,
  type LetterList,
  type MailView,
  type QueueCounts,
  type Session,
  type SettingsView,
  type TrayItemView,
} from './api.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A refusal (403, 404) will not change by asking again; a network blip may.
      retry: (n, err) => n < 2 && !(err instanceof ApiError && err.status < 500),
    },
  },
});

export const keys = {
  session: ['session'] as const,
  letters: ['letters'] as const,
  list: (query: string) => ['letters', 'list', query] as const,
  letter: (id: string) => ['letters', 'one', id] as const,
  context: (id: string) => ['letters', 'context', id] as const,
  counts: (status: string | null, article: string | null) => ['letters', 'counts', status, article] as const,
  settings: ['settings'] as const,
  team: ['team'] as const,
  tray: ['tray'] as const,
  waitingMail: ['tray', 'waiting'] as const,
  trayItem: (id: string) => ['tray', id] as const,
  outbox: ['outbox'] as const,
};

const enc = encodeURIComponent;

export const useSession = () =>
  useQuery({
    queryKey: keys.session,
    // Not signed in is an answer, not an error.
    queryFn: () => api<Session>('GET', '/api/v1/session').catch((e) => (e instanceof ApiError && e.status === 401 ? null : Promise.reject(e))),
    staleTime: Infinity,
  });

export const useLetterList = (query: URLSearchParams) => useQuery({ queryKey: keys.list(query.toString()), queryFn: () => api<LetterList>('GET', `/api/v1/letters?${query}`) });
/** The tabs' counts, and the articles and campaigns with letters in `status` (null: any) for the filters, with the open article among them; the last answer shows while the next loads. */
export const useCounts = (status: string | null, article: string | null) =>
  useQuery({
    queryKey: keys.counts(status, article),
    queryFn: () => api<QueueCounts>('GET', `/api/v1/queue/counts?${new URLSearchParams({ ...(status ? { status } : {}), ...(article ? { article } : {}) })}`),
    placeholderData: keepPreviousData,
  });
export const useLetter = (id: string) => useQuery({ queryKey: keys.letter(id), queryFn: () => api<LetterDetail>('GET', `/api/v1/letters/${enc(id)}`) });
export const useLetterContext = (id: string) => useQuery({ queryKey: keys.context(id), queryFn: () => api<LetterContextView>('GET', `/api/v1/letters/${enc(id)}/context`) });
export const useSettings = () => useQuery({ queryKey: keys.settings, queryFn: () => api<SettingsView>('GET', '/api/v1/settings') });
export const useTeam = () => useQuery({ queryKey: keys.team, queryFn: () => api<{ items: ColleagueView[] }>('GET', '/api/v1/team'), staleTime: 60_000 });
/** Mail taken by SMTP and not read yet (it joins the queue or the tray as it is read). */
export type WaitingMail = { count: number; more: boolean; oldestAt: string | null };
export const useTray = () => useQuery({ queryKey: keys.tray, queryFn: () => api<{ items: TrayItemView[]; nextCursor: string | null }>('GET', '/api/v1/tray') });
/**
 * Asked again every 5 s while mail waits: the figure alone, so that the
 * tray's list does not move under an editor's pointer while mail is read.
 */
export const useWaitingMail = () =>
  useQuery({
    queryKey: keys.waitingMail,
    queryFn: () => api<WaitingMail>('GET', '/api/v1/tray/waiting'),
    refetchInterval: (query) => (query.state.data?.count ? 5000 : false),
  });
export const useTrayItem = (id: string) => useQuery({ queryKey: keys.trayItem(id), queryFn: () => api<InboundMessageView>('GET', `/api/v1/inbound/${enc(id)}/message`) });
export const useOutbox = () => useQuery({ queryKey: keys.outbox, queryFn: () => api<{ items: MailView[] }>('GET', '/api/v1/outbox?limit=100') });

/** After a change to letters: the queue, counts and the changed letters are read again. */
export function lettersChanged(): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: keys.letters });
}
