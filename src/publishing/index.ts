// Publishing registers its action effects, jobs and startup hooks on import
// (bootstrap imports this), and contributes its routes.
import './approval.ts';
import './publish.ts';
import './withdraw.ts';
import './webhooks.ts';
import './notices.ts';
export { applyWriterReply } from './approval.ts';
