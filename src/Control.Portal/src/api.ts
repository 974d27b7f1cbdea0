// The portal's only way to the server: the same JSON endpoints the CLI calls, on the same origin.
// The session cookie is HttpOnly (this code never sees it); every unsafe request carries the session's
// anti-forgery token in X-CSRF-Token, which the server checks for cookie-authenticated requests.

/** An RFC 9457 problem the API answered with, or a transport failure shaped like one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly code: string | undefined,
    readonly errors: Record<string, string[]>,
  ) {
    super(detail ? `${title} ${detail}` : title);
  }
}

let csrfToken: string | undefined;
let onSignedOut: (() => void) | undefined;

/** Set after sign-in and after reading the current session; cleared on sign-out. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server answers 401 to a signed-in caller: the session ended (idle, disabled, signed out elsewhere). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestOptions {
  body?: unknown;
  /** Problems the caller handles itself: no global sign-out on 401 (the sign-in form expects 401s). */
  expectUnauthorized?: boolean;
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  if (method !== "GET" && csrfToken) {
    headers["X-CSRF-Token"] = csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "The server cannot be reached.", "Check the connection and try again.", undefined, {});
  }

  if (response.status === 401 && !options.expectUnauthorized) {
    onSignedOut?.();
  }
  if (!response.ok) {
    throw await problem(response);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

export const get = <T>(path: string) => request<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, { body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => request<T>("PUT", path, { body: body ?? {} });
export const del = <T>(path: string) => request<T>("DELETE", path);

async function problem(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page, say): the status line is all there is.
  }
  const title = typeof body.title === "string" ? body.title : `The server answered ${response.status}.`;
  const detail = typeof body.detail === "string" ? body.detail : undefined;
  const code = typeof body.code === "string" ? body.code : undefined;
  const errors = (body.errors && typeof body.errors === "object" ? body.errors : {}) as Record<string, string[]>;
  return new ApiError(response.status, title, detail, code, errors);
}

/** Percent-encodes one path segment (aliases may hold '@'). */
export const segment = (value: string) => encodeURIComponent(value);
