// Feed documents as CMSs write them, built from a few article fields: RSS
// 2.0 (WordPress's shape, with dc:creator and content:encoded), Atom, JSON
// Feed 1.1, sitemaps (plain, Google News, index) and WordPress REST posts.
export type Piece = { url: string; title: string; author?: string; date?: string; section?: string; html?: string };

const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function rss(pieces: Piece[], opts: { title?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>${x(opts.title ?? 'The Example Review')}</title>
  <atom:link href="https://review.example.com/feed/" rel="self" type="application/rss+xml" />
  <link>https://review.example.com</link>
  <description>Opinion</description>
${pieces
  .map(
    (p) => `  <item>
    <title>${x(p.title)}</title>
    <link>${x(p.url)}</link>
    ${p.author ? `<dc:creator><![CDATA[${p.author}]]></dc:creator>` : ''}
    ${p.date ? `<pubDate>${new Date(p.date).toUTCString()}</pubDate>` : ''}
    ${p.section ? `<category><![CDATA[${p.section}]]></category>` : ''}
    <guid isPermaLink="false">${x(p.url)}#guid</guid>
    <description><![CDATA[${(p.html ?? '').slice(0, 80)}]]></description>
    ${p.html ? `<content:encoded><![CDATA[${p.html}]]></content:encoded>` : ''}
  </item>`,
  )
  .join('\n')}
</channel>
</rss>`;
}

export function atom(pieces: Piece[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>The Example Review</title>
  <id>urn:example:review</id>
  <updated>2024-05-01T12:00:00Z</updated>
  <link rel="self" href="/atom.xml"/>
${pieces
  .map(
    (p) => `  <entry>
    <title type="html">${x(p.title)}</title>
    <link rel="alternate" type="text/html" href="${x(p.url)}"/>
    <link rel="replies" href="${x(p.url)}#comments"/>
    <id>${x(p.url)}</id>
    ${p.date ? `<published>${p.date}</published><updated>${p.date}</updated>` : ''}
    ${p.author ? `<author><name>${x(p.author)}</name></author>` : ''}
    ${p.section ? `<category term="${x(p.section.toLowerCase())}" label="${x(p.section)}"/>` : ''}
    ${p.html ? `<content type="html">${x(p.html)}</content>` : ''}
  </entry>`,
  )
  .join('\n')}
</feed>`;
}

export function jsonFeed(pieces: Piece[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'The Example Review',
    home_page_url: 'https://review.example.com/',
    items: pieces.map((p) => ({
      id: p.url,
      url: p.url,
      title: p.title,
      ...(p.html ? { content_html: p.html } : {}),
      ...(p.date ? { date_published: p.date } : {}),
      ...(p.author ? { authors: [{ name: p.author }] } : {}),
      ...(p.section ? { tags: [p.section] } : {}),
    })),
  });
}

export function sitemap(entries: { url: string; lastmod?: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.map((e) => `  <url><loc>${x(e.url)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}<changefreq>daily</changefreq></url>`).join('\n')}
</urlset>`;
}

export function newsSitemap(pieces: Piece[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${pieces
  .map(
    (p) => `  <url>
    <loc>${x(p.url)}</loc>
    <news:news>
      <news:publication><news:name>The Example Review</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>${p.date}</news:publication_date>
      <news:title>${x(p.title)}</news:title>
    </news:news>
  </url>`,
  )
  .join('\n')}
</urlset>`;
}

export function sitemapIndex(entries: { url: string; lastmod?: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.map((e) => `  <sitemap><loc>${x(e.url)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</sitemap>`).join('\n')}
</sitemapindex>`;
}

/** Posts as `/wp-json/wp/v2/posts?_embed` answers them. */
export function wpPosts(pieces: Piece[], firstId = 100): string {
  return JSON.stringify(
    pieces.map((p, i) => ({
      id: firstId + i,
      date: p.date?.replace(/Z$/, ''),
      date_gmt: p.date?.replace(/Z$/, '').replace(/\.\d+$/, ''),
      modified_gmt: p.date?.replace(/Z$/, '').replace(/\.\d+$/, ''),
      slug: p.url.split('/').filter(Boolean).pop(),
      status: 'publish',
      type: 'post',
      link: p.url,
      title: { rendered: x(p.title).replace(/&#039;|'/g, '&#8217;') },
      content: { rendered: p.html ?? '', protected: false },
      excerpt: { rendered: `<p>${(p.html ?? '').replace(/<[^>]+>/g, '').slice(0, 50)}&hellip;</p>\n`, protected: false },
      author: 7,
      categories: [3],
      _embedded: {
        author: [{ id: 7, name: p.author ?? 'Staff', slug: 'staff' }],
        'wp:term': [[{ id: 3, name: p.section ?? 'Uncategorized', slug: (p.section ?? 'uncategorized').toLowerCase(), taxonomy: 'category' }], []],
      },
    })),
  );
}
