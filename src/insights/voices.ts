// Voices: how many people, not how many copies. A campaign (near-identical
// letters found by screening) is one voice however many letters it sent:
// voices = letters - campaign letters + campaigns.

export interface VoiceInput {
  id?: string;
  campaignId?: string | null;
}

export interface VoiceCount {
  letters: number;
  campaignLetters: number;
  campaigns: number;
  voices: number;
}

export function voiceCount(letters: readonly VoiceInput[]): VoiceCount {
  const campaigns = new Set<string>();
  let campaignLetters = 0;
  let n = 0;
  for (const l of letters ?? []) {
    if (!l) continue;
    n++;
    const c = typeof l.campaignId === 'string' && l.campaignId ? l.campaignId : null;
    if (c === null) continue;
    campaignLetters++;
    campaigns.add(c);
  }
  return { letters: n, campaignLetters, campaigns: campaigns.size, voices: n - campaignLetters + campaigns.size };
}

export function countVoices(letters: readonly VoiceInput[]): number {
  return voiceCount(letters).voices;
}
