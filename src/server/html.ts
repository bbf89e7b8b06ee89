// Server-rendered pages: the page frame, and the headers every HTML answer
// carries. Pages are built with the escaping `html` template (util/html.ts).
import { html, type SafeHtml } from '../util/html.ts';

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
