// Admin pages of the desk: the team, invitations, API tokens and settings.
import type { AppContext } from '../../../context.ts';
import { listTokens, revokeToken } from '../../../db/repositories/tokens.ts';
import { getPublication, updatePolicies, updatePublicationDetails } from '../../../db/repositories/publication.ts';
import { deleteSessionsOfUser, deleteUser, findUserById, listOpenInvitations, listUsers, revokeLink, updateUser } from '../../../db/repositories/users.ts';
import { inviteUser } from '../../../desk/accounts.ts';
import { createApiToken } from '../../auth.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { ADMINS, READERS } from './access.ts';
import { presentColleague, presentInvitation, presentSettings, presentToken, presentUser } from './presenter.ts';
import { deskIdParams, invitationBody, settingsPatch, tokenBody, userPatch } from './schema.ts';

export function teamRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/users',
      tag: 'desk',
      summary: 'The team and open invitations.',
      access: ADMINS,
      responses: { 200: { description: 'Users and invitations.' } },
      handler: async () => {
        const [users, invitations] = await Promise.all([listUsers(ctx.db), listOpenInvitations(ctx.db)]);
        return {
          users: users.map(presentUser),
          invitations: invitations.map(presentInvitation),
        };
      },
    },
    {
      method: 'PATCH',
      url: '/api/v1/users/:id',
      tag: 'desk',
      summary: "Change a team member's role, or disable (and sign out) or re-enable them.",
      access: ADMINS,
      mutates: true,
      params: deskIdParams,
      body: userPatch,
      responses: { 200: { description: 'Changed.' }, 404: { description: 'No such user.' }, 409: { description: 'Admins cannot demote or disable themselves.' } },
      handler: async ({ params, body, actor }) => {
        const user = await findUserById(ctx.db, params.id);
        if (!user) throw new HttpError(404, 'not_found', 'No such user.');
        if (user.id === actor!.id && ((body.role && body.role !== 'admin') || body.disabled)) throw new HttpError(409, 'conflict', 'You cannot demote or disable yourself; ask another admin.');
        await ctx.db.writes.run(async (trx) => {
          await updateUser(ctx.db, trx, user.id, {
            ...(body.role ? { role: body.role } : {}),
            ...(body.disabled !== undefined ? { disabledAt: body.disabled ? new Date() : null } : {}),
            ...(body.unlock ? { lockedUntil: null, failedSignins: 0 } : {}),
          });
          if (body.disabled || body.role) await deleteSessionsOfUser(ctx.db, trx, user.id);
        });
        return { ok: true };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/users/:id',
      tag: 'desk',
      summary: 'Remove a team member: they are signed out and can no longer sign in; what they did stays in the letters\' history.',
      access: ADMINS,
      mutates: true,
      params: deskIdParams,
      responses: { 200: { description: 'Removed.' }, 404: { description: 'No such user.' }, 409: { description: 'Admins cannot remove themselves.' } },
      handler: async ({ params, actor }) => {
        if (params.id === actor!.id) throw new HttpError(409, 'conflict', 'You cannot remove yourself; ask another admin.');
        if (!(await ctx.db.writes.run((trx) => deleteUser(ctx.db, trx, params.id)))) throw new HttpError(404, 'not_found', 'No such user.');
        return { ok: true };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/team',
      tag: 'desk',
      summary: 'The editors and admins a letter can be assigned to (the desk\'s editor picker), by name.',
      access: READERS,
      responses: { 200: { description: 'Team members who can act on letters.' } },
      handler: async () => ({
        items: (await listUsers(ctx.db)).filter((u) => u.disabledAt === null && u.role !== 'viewer').map(presentColleague),
      }),
    },
    {
      method: 'POST',
      url: '/api/v1/invitations',
      tag: 'desk',
      summary: 'Invite someone to the team with a role; they get a one-time link by email (also shown here, for when mail is kept in the outbox).',
      access: ADMINS,
      mutates: true,
      body: invitationBody,
      responses: { 201: { description: 'Invited.' } },
      handler: async ({ body, actor, reply }) => {
        const { url, link } = await inviteUser(ctx, body.email, body.role, actor!.label);
        reply.code(201);
        return { id: link.id, email: link.email, role: link.role, url, expiresAt: link.expiresAt.toISOString() };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/invitations/:id',
      tag: 'desk',
      summary: 'Withdraw an invitation.',
      access: ADMINS,
      mutates: true,
      params: deskIdParams,
      responses: { 200: { description: 'Withdrawn.' }, 404: { description: 'No open invitation with this id.' } },
      handler: async ({ params }) => {
        if (!(await revokeLink(ctx.db, params.id))) throw new HttpError(404, 'not_found', 'No open invitation with this id.');
        return { ok: true };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/tokens',
      tag: 'desk',
      summary: 'API tokens (never the tokens themselves).',
      access: ADMINS,
      responses: { 200: { description: 'Tokens.' } },
      handler: async () => ({
        items: (await listTokens(ctx.db)).map(presentToken),
      }),
    },
    {
      method: 'POST',
      url: '/api/v1/tokens',
      tag: 'desk',
      summary: 'Create an API token; the answer shows it once.',
      access: ADMINS,
      mutates: true,
      body: tokenBody,
      responses: { 201: { description: 'The token, shown once.' } },
      handler: async ({ body, reply }) => {
        const { token, record } = await createApiToken(ctx, body.role, body.name);
        reply.code(201);
        return { id: record.id, name: record.name, role: record.role, token };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      tag: 'desk',
      summary: 'Revoke an API token.',
      access: ADMINS,
      mutates: true,
      params: deskIdParams,
      responses: { 200: { description: 'Revoked.' }, 404: { description: 'No active token with this id.' } },
      handler: async ({ params }) => {
        if (!(await revokeToken(ctx.db, params.id))) throw new HttpError(404, 'not_found', 'No active token with this id.');
        return { ok: true };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/settings',
      tag: 'desk',
      summary: 'The publication: name, letters address and policies (editors read the decline template here).',
      access: READERS,
      responses: { 200: { description: 'Settings.' } },
      handler: async () => {
        return presentSettings((await getPublication(ctx.db))!);
      },
    },
    {
      method: 'PATCH',
      url: '/api/v1/settings',
      tag: 'desk',
      summary: 'Change the publication name, letters address or policies.',
      access: ADMINS,
      mutates: true,
      body: settingsPatch,
      responses: { 200: { description: 'The settings after the change.' } },
      handler: async ({ body }) => {
        await updatePublicationDetails(ctx.db, { name: body.name, lettersAddress: body.lettersAddress?.toLowerCase() });
        if (body.policies) await updatePolicies(ctx.db, body.policies);
        const pub = (await getPublication(ctx.db))!;
        // This node sees the change at once; others read policies from the database where it matters (actions).
        ctx.publication.name = pub.name;
        ctx.publication.lettersAddress = pub.lettersAddress;
        ctx.publication.policies = pub.policies;
        return presentSettings(pub);
      },
    },
  ];
}
