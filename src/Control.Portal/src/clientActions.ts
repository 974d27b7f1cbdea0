// The names of the changes an operator makes to a client: the last segment of POST /clients/{client}/{action} and
// POST /clients/bulk/{action}. The API and the CLI take them from Control.Domain/Contracts/ClientActions.cs; a test
// (ClientActionsContractTests) checks that this list is the same, in the same order.
export const clientActions = [
  "acl-enable",
  "acl-disable",
  "acl-add",
  "acl-remove",
  "unattended-enable",
  "unattended-disable",
  "unattended-exclusive",
  "unattended-password",
  "tokens-clear",
  "2fa-disable",
  "permissions",
  "logins",
  "tags",
  "remove",
  "remove-license",
] as const;

export type ClientAction = (typeof clientActions)[number];
