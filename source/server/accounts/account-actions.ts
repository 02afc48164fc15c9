// The verbs of the operator's account command; the command line reads them
// without loading any of the account code.
export const ACCOUNT_ACTIONS = ['add', 'reset', 'delete'] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];
