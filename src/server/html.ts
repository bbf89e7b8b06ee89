// Server-rendered pages: the page frame readers see (masthead with the
// publication's name and logo, the content, a footer), and the headers every
// HTML answer carries. Pages are built with the escaping `html` template
// (util/html.ts); their words come from the reader's catalogue (src/i18n).
import type { Translator } from '../i18n/index.ts';
import type { Brand } from '../publishing/readers.ts';
import { html, type SafeHtml } from '../util/html.ts';

/** What every public page shows of the publication. */
export type Frame = { t: Translator; publicationName: string; brand: Brand; themeVersion: string };

export function page(opts: { title: string; body: SafeHtml; scripts?: string[]; frame: Frame; wide?: boolean }): string {
  const { t, brand } = opts.frame;
  return html`<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/public.css">
<link rel="stylesheet" href="/theme.css?v=${opts.frame.themeVersion}">
${(opts.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<a class="skip-link" href="#main">${t.t('page.skip')}</a>
<header class="masthead">
<div class="wrap">
<a class="brand" href="${brand.homeUrl ?? '/letters'}">${brand.logoUrl ? html`<img class="logo" src="${brand.logoUrl}" alt="" height="40">` : ''}<span class="brand-name">${opts.frame.publicationName}</span></a>
<nav aria-label="${opts.frame.publicationName}"><a href="/letters">${t.t('page.letters')}</a></nav>
</div>
</header>
<main id="main" class="wrap${opts.wide ? ' wide' : ''}">
${opts.body}
</main>
<footer class="site-footer"><div class="wrap"><p><a href="/letters">${t.t('page.letters')}</a> · <a href="/desk">${t.t('page.desk')}</a></p><p class="small">${t.t('page.poweredBy')}</p></div></footer>
</body>
</html>`.value;
}

/** The publication's colours as CSS custom properties (served at /theme.css; inline styles are blocked by the CSP). */
export function themeCss(brand: Brand): string {
  const vars = [brand.accent && `--accent: ${brand.accent};`, brand.background && `--bg: ${brand.background};`, brand.text && `--ink: ${brand.text};`].filter(Boolean);
  return `/* The publication's colours (settings: readers.brand). */\n:root { ${vars.join(' ')} }\n`;
}

/** The site's icon: a letter in the publication's accent colour. */
export function faviconSvg(brand: Brand): string {
  const c = brand.accent ?? '#0b5cad';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${c}"/><path d="M12 20h40v26H12z" fill="#fff"/><path d="M12 20l20 15 20-15" fill="none" stroke="${c}" stroke-width="4" stroke-linejoin="round"/></svg>`;
}

/** Sent with every HTML page: no inline script can run, whatever a page contains. */
export const HTML_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The security headers for a public page: the logo's own origin may serve images, nothing else changes. */
export function publicPageHeaders(brand: Brand): Record<string, string> {
  if (!brand.logoUrl?.startsWith('https://')) return HTML_SECURITY_HEADERS;
  const origin = new URL(brand.logoUrl).origin;
  return { ...HTML_SECURITY_HEADERS, 'content-security-policy': HTML_SECURITY_HEADERS['content-security-policy'].replace("img-src 'self' data:", `img-src 'self' data: ${origin}`) };
}
