// Every screen of the desk in one table: its address, who may see it, and
// its place in the top navigation. A new page is one more row here (and its
// own file); App.tsx builds the routes and the navigation from this list.
import type { ComponentType } from 'react';
import type { DeskRole } from '../../src/db/repositories/users.ts';
import { Queue } from './Queue.tsx';
import { LetterView } from './LetterView.tsx';
import { Settings } from './Settings.tsx';
import { Tray, TrayItemPage } from './Tray.tsx';
import { Outbox } from './Outbox.tsx';
import { InsightsPage } from './Insights.tsx';
import { WeeklyReport } from './WeeklyReport.tsx';

export type PageProps = { params: Record<string, string | undefined> };

export type Page = {
  /** wouter path pattern, in the URL fragment: #/letter/ID matches /letter/:id. */
  path: string;
  component: ComponentType<PageProps>;
  /** Roles that may open it (all signed-in roles when absent). */
  roles?: readonly DeskRole[];
  /** Its entry in the top navigation, if it has one. */
  nav?: string;
  /** The navigation entry shown as current on this page (a letter belongs to the queue). */
  section?: string;
};

export const PAGES: Page[] = [
  { path: '/queue', component: Queue, nav: 'Queue', section: '/queue' },
  { path: '/letter/:id', component: LetterView, section: '/queue' },
  { path: '/insights/:id', component: InsightsPage, section: '/queue' },
  { path: '/tray', component: Tray, nav: 'System tray', section: '/tray' },
  { path: '/tray/:id', component: TrayItemPage, section: '/tray' },
  { path: '/report', component: WeeklyReport, nav: 'Weekly report', section: '/report' },
  { path: '/outbox', component: Outbox, nav: 'Outbox', roles: ['admin'], section: '/outbox' },
  { path: '/settings', component: Settings, nav: 'Settings', roles: ['admin'], section: '/settings' },
];
