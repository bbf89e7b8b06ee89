// Server-rendered HTML. Every interpolated value is escaped unless it was
// itself produced by `html`; reader text can never become markup here.
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Plain text with paragraphs and line breaks kept, escaped. */
export function paragraphs(text: string): SafeHtml {
  return html`${text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => html`<p>${p.split('\n').map((line, i) => (i ? html`<br>${line}` : html`${line}`))}</p>`)}`;
}

export function page(opts: { title: string; body: SafeHtml; scripts?: string[]; lang?: string }): string {
  return html`<!doctype html>
<html lang="${opts.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<link rel="stylesheet" href="/static/public.css">
${(opts.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<main id="main">
${opts.body}
</main>
</body>
</html>`.value;
}

/** Sent with every HTML page: no inline script can run, whatever a page contains. */
export const HTML_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};
