// Who may call the desk's routes.
export const READERS = ['admin', 'editor', 'viewer'] as const;
export const ACTORS = ['admin', 'editor'] as const;
export const ADMINS = ['admin'] as const;
