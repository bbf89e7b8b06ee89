// What every page of the signed-in desk shares: who is signed in, whether they
// may change letters, the queue's order (for j/k on a letter) and the page's
// keyboard shortcut handler.
import { createContext, useContext } from 'react';
import type { User } from './api.ts';

/** What the current page wants to do with a shortcut (the queue and the letter view register one). */
export type ShortcutHandler = (key: string) => boolean;

export type Desk = {
  user: User;
  /** Editors and admins change letters; viewers read. */
  canAct: boolean;
  queueIds: string[];
  setQueueIds: (ids: string[]) => void;
  setHandler: (h: ShortcutHandler | null) => void;
};

export const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk {
  const d = useContext(DeskContext);
  if (!d) throw new Error('useDesk outside the signed-in desk');
  return d;
}
