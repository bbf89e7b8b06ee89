// Who else has a letter open: the letter view sends a heartbeat every 10 s
// (and says whether its editor is editing) and hears who else is there; it
// says goodbye when closed. Stored in the database so that editors on
// different nodes see each other (db/repositories/presence.ts).
import type { AppContext } from '../../../context.ts';
import { findLetterById } from '../../../db/repositories/letters.ts';
import { leavePresence, othersPresent, touchPresence } from '../../../db/repositories/presence.ts';
import { findUserById } from '../../../db/repositories/users.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { READERS } from './access.ts';
import { presentPresence } from './presenter.ts';
import { deskIdParams, presenceAnswer, presenceBody } from './schema.ts';

export function presenceRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'POST',
      url: '/api/v1/letters/:id/presence',
      tag: 'desk',
      summary: 'I have this letter open (a heartbeat, every 10 s; gone after 30 s without one): answers who else has it open, whether they are editing, and the letter\'s current version (so a view can tell it is stale).',
      access: READERS,
      mutates: true,
      params: deskIdParams,
      body: presenceBody,
      responses: { 200: { description: 'Who else is here.', schema: presenceAnswer }, 404: { description: 'No such letter.' } },
      handler: async ({ params, body, actor }) => {
        const letter = await findLetterById(ctx.db, params.id);
        if (!letter) throw new HttpError(404, 'not_found', 'No such letter.');
        const now = new Date();
        // Shown to the others by name; an API token has none but its label.
        const name = (await findUserById(ctx.db, actor!.id))?.name ?? actor!.label;
        await ctx.db.writes.run((trx) => touchPresence(ctx.db, trx, { letterId: letter.id, userId: actor!.id, name, editing: body.editing, at: now }));
        return { others: (await othersPresent(ctx.db, letter.id, actor!.id, now)).map(presentPresence), version: letter.version };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/letters/:id/presence',
      tag: 'desk',
      summary: 'I closed this letter.',
      access: READERS,
      mutates: true,
      params: deskIdParams,
      responses: { 200: { description: 'Gone.' } },
      handler: async ({ params, actor }) => {
        await ctx.db.writes.run((trx) => leavePresence(ctx.db, trx, params.id, actor!.id));
        return { ok: true };
      },
    },
  ];
}
