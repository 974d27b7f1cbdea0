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
  /** The API's rule (seen within its online window, ClientPresence.OnlineWindow): not computed here. */
  online: boolean;
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
  permissions: { exec: boolean; shell: boolean; fileTransfer: boolean; logins: string[] };
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

export const clientName = (client: ClientSummary) => client.alias ?? client.number;
