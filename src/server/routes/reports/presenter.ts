// The weekly report as the API shows it: the data with its title (Markdown
// and HTML are rendered by src/insights-store/report.ts).
import { reportTitle, type WeeklyReport } from '../../../insights-store/report.ts';

export function presentWeekly(r: WeeklyReport, publication: string) {
  return { title: reportTitle(r, publication), ...r };
}
