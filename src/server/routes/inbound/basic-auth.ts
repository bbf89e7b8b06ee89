// Mail providers call webhooks with credentials in the URL
// (https://user:TOKEN@desk.example/api/v1/inbound/postmark), which arrive as
// HTTP basic auth: the password is an API token. Only the inbound routes take
// it; everywhere else a token is sent as a Bearer header.
import { findActiveTokenByHash } from '../../../db/repositories/tokens.ts';
import type { Role } from '../../../letters/lifecycle.ts';
import { hashApiToken, type Authenticator } from '../../auth.ts';
import { authenticators } from '../../authenticate.ts';

const basicToken: Authenticator = async (ctx, req, spec) => {
  const header = req.headers.authorization;
  if (!header || !/^Basic\s/i.test(header) || !spec?.url.startsWith('/api/v1/inbound/') || spec.method !== 'POST') return null;
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  if (!password) return 'invalid';
  const token = await findActiveTokenByHash(ctx.db, hashApiToken(password));
  if (!token) return 'invalid';
  return { kind: 'staff', id: token.id, role: token.role as Role, label: `token:${token.name}` };
};

// Before the Bearer authenticator, which refuses any other scheme.
if (!authenticators.includes(basicToken)) authenticators.unshift(basicToken);
