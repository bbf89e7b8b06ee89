// Shapes of "what readers think" as the API answers them (GET
// /api/v1/articles/:id/insights, /api/v1/reports/weekly, a letter's insight).
export type StanceCounts = { agree: number; disagree: number; mixed: number };
export type Share = { key: string; label: string; received: number; receivedShare: number; published: number; publishedShare: number; gap: number };

export type Theme = {
  id: string;
  label: string;
  named: boolean;
  phrases: string[];
  letters: number;
  voices: number;
  stance: StanceCounts;
  representatives: { letterId: string; excerpt: string }[];
  letterIds: string[];
};

export type Insights = {
  article: { id: string; title: string };
  letters: number;
  byStatus: Record<string, number>;
  byDoor: Record<string, number>;
  perDay: { day: string; letters: number }[];
  campaignShare: number;
  topCampaigns: { id: string; letters: number }[];
  voices: number;
  voiceCount: { letters: number; campaignLetters: number; campaigns: number; voices: number };
  stance: StanceCounts;
  grouping: { status: string; message: string; groupedAt: string | null; groupedLetters: number; queued: boolean };
  themes: Theme[];
  pendingThemes: { name: string; letterIds: string[] }[];
  unassigned: number;
  fairness: { published: number; receivedVoices: number; stance: Share[]; themes: Share[]; sentences: string[]; firstTime: { received: number; published: number }; largestGap: number };
  note: string;
};

export type LetterInsight = {
  theme: string | null;
  themeName: string | null;
  themeSource: 'model' | 'editor';
  stance: 'agree' | 'disagree' | 'mixed' | null;
  stanceConfidence: number | null;
  source: 'model' | 'editor';
} | null;

export type WeeklyReport = {
  title: string;
  from: string;
  to: string;
  letters: number;
  voices: number;
  articles: { id: string; title: string; letters: number; voices: number; stance: StanceCounts; themes: { id: string; label: string; letters: number; voices: number; stance: StanceCounts }[] }[];
  campaigns: { id: string; articleId: string; articleTitle: string; letters: number }[];
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
export { plural };

/** "1 campaign, 212 signers" */
export function campaignPhrase(v: Insights['voiceCount']): string {
  if (!v.campaigns) return 'no campaigns';
  return `${plural(v.campaigns, 'campaign')}, ${plural(v.campaignLetters, 'signer')}`;
}

/** "62% agree · 25% disagree · 13% mixed" (of voices with a stance). */
export function stancePhrase(s: StanceCounts): string {
  const n = s.agree + s.disagree + s.mixed;
  if (!n) return 'no stance yet';
  const p = (x: number) => `${Math.round((x / n) * 100)}%`;
  return `${p(s.agree)} agree · ${p(s.disagree)} disagree · ${p(s.mixed)} mixed`;
}
