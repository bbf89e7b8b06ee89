// Replies to writers from the desk's templates: {name} is the writer's name,
// {title} the article's title. The desk fills a single letter's reply as the
// editor edits it; a campaign's reply is filled per letter on the server, so
// that each writer is addressed by their own name.
export type ReplyFields = { name: string; title: string | null };

export function fillReply(template: string, f: ReplyFields): string {
  return template.replaceAll('{name}', f.name).replaceAll('{title}', f.title ?? 'our article');
}
