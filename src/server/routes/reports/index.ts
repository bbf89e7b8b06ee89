// Reports: the weekly letters report (what readers wrote about, voices with
// campaigns counted once, lines of argument and stance, campaigns set aside).
import type { AppContext } from '../../../context.ts';
import { reportHtml, reportMarkdown, weeklyReport } from '../../../insights-store/report.ts';
import type { RouteTable } from '../../route.ts';
import { validationFailure } from '../../schema.ts';
import { presentWeekly } from './presenter.ts';
import { weeklyOutput, weeklyQuery } from './schema.ts';

const DAY = 86_400_000;

export function reportRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/reports/weekly',
      tag: 'reports',
      summary: 'The weekly letters report for the seven days from `from`: the most-written-about articles, voices (campaigns counted once), each article\'s lines of argument and stance, and the campaigns set aside; as JSON, Markdown or HTML.',
      access: ['admin', 'editor', 'viewer'],
      query: weeklyQuery,
      responses: {
        200: { description: 'The report.', schema: weeklyOutput },
        422: { description: 'A field needs attention.', schema: validationFailure },
      },
      handler: async ({ query, reply }) => {
        const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
        const from = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(today.getTime() - 6 * DAY);
        const r = await weeklyReport(ctx.db, from);
        const name = `letters-report-${r.from}`;
        if (query.format === 'markdown') return reply.header('content-type', 'text/markdown; charset=utf-8').header('content-disposition', `attachment; filename="${name}.md"`).send(reportMarkdown(r, ctx.publication.name));
        // Served as a download so that it is never rendered on the desk's origin.
        if (query.format === 'html') return reply.header('content-type', 'text/html; charset=utf-8').header('content-disposition', `attachment; filename="${name}.html"`).header('content-security-policy', "default-src 'none'").send(reportHtml(r, ctx.publication.name));
        return presentWeekly(r, ctx.publication.name);
      },
    },
  ];
}
