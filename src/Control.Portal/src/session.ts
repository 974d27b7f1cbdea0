// The signed-in operator as the server describes them: who, and which of the API's authorization policies they pass.
// The portal hides what a role may not do by asking the server (GET /portal/session lists the policies the caller
// satisfies), never by a copy of the role table; the API still refuses whatever is sent anyway.
import { ApiError, del, get, post, request, setCsrfToken } from "./api";

export interface Operator {
  id: string;
  username: string;
  organization: string;
  role: string;
  twoFactorEnabled: boolean;
  recoveryCodesLeft: number;
}

export interface PortalSession {
  operator: Operator;
  csrfToken: string | null;
  permissions: string[];
  idleTimeoutSeconds: number;
  /** The roles this operator may invite, as the API's invitation rule answers it. */
  grantableRoles: string[];
}

export interface SignInForm {
  organization: string;
  username: string;
  password: string;
  totpCode?: string;
  recoveryCode?: string;
}

export type Permission =
  | "manage-operators" | "read-operators" | "read-audit" | "manage-clients" | "read-clients" | "manage-license"
  | "read-sessions" | "end-sessions" | "manage-session-settings" | "manage-people" | "read-people" | "record-knowledge" | "offboard" | "read-access";

export const can = (session: PortalSession, permission: Permission) => session.permissions.includes(permission);

/** The current session, or null when there is none (the server answers 401). */
export async function current(): Promise<PortalSession | null> {
  try {
    const session = await request<PortalSession>("GET", "/portal/session", { expectUnauthorized: true });
    setCsrfToken(session.csrfToken ?? undefined);
    return session;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      return null;
    }
    throw e;
  }
}

export async function signIn(form: SignInForm): Promise<PortalSession> {
  const session = await request<PortalSession>("POST", "/portal/session", { body: form, expectUnauthorized: true });
  setCsrfToken(session.csrfToken ?? undefined);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await del<void>("/portal/session");
  } finally {
    setCsrfToken(undefined);
  }
}

export async function signOutEverywhere(reason: string): Promise<void> {
  try {
    await post<void>("/me/sign-out-everywhere", { reason });
  } finally {
    setCsrfToken(undefined);
  }
}

export const whoAmI = () => get<Operator>("/me");
