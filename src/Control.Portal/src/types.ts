// Wire types of the API endpoints the portal reads (Control.Domain/Contracts, camelCase as the API writes them).

export interface ClientSummary {
  id: string;
  number: string;
  alias: string | null;
  hostname: string | null;
  status: string;
  licensed: boolean;
  tags: string[];
  latestPolicyVersion: number;
  enforcedPolicyVersion: number | null;
  lastSeenAt: string | null;
  version: number;
}

export interface ClientDetail {
  summary: ClientSummary;
  keyFingerprint: string;
  enrolledAt: string;
  aclEnabled: boolean;
  aclEntries: string[];
  unattendedEnabled: boolean;
  unattendedExclusive: boolean;
  unattendedPasswordSet: boolean;
  tokenEpoch: number;
  twoFactorEnabled: boolean;
  permissions: { exec: boolean; shell: boolean; fileTransfer: boolean };
}

export interface ClientChangeResponse {
  clientId: string;
  number: string;
  version: number;
  changed: boolean;
  revealedPassword?: string | null;
}

export interface AuditEventView {
  sequence: number;
  eventId: string;
  type: string;
  timestamp: string;
  actor: string | null;
  reason: string | null;
  correlationId: string | null;
  target: string | null;
}

export interface AuditEventPage {
  items: AuditEventView[];
  nextCursor: string | null;
}

export interface OffboardingSummary {
  id: string;
  person: string;
  mode: string;
  status: string;
  requestedBy: string;
  requestedAt: string;
  expectedReceipts: number;
  pendingReceipts: number;
}

/**
 * Online means seen in the last two minutes: an agent long-polls its policy at least every 30 s, and the API writes
 * "last seen" at a resolution of one minute.
 */
export const OnlineWindowMs = 2 * 60 * 1000;

export const isOnline = (client: ClientSummary, now = Date.now()) =>
  client.lastSeenAt !== null && now - new Date(client.lastSeenAt).getTime() < OnlineWindowMs;

export const clientName = (client: ClientSummary) => client.alias ?? client.number;
