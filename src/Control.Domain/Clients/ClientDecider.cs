using System.Text.RegularExpressions;
using Control.Domain.Access;
using Control.Domain.Common;
using Control.Domain.Operators;

namespace Control.Domain.Clients;

/// <summary>Pure decisions about a client's security settings. A command that is already satisfied is a no-op.</summary>
public static partial class ClientDecider
{
    public const int MaxAclEntries = 200;
    public const int MaxTags = 20;

    /// <summary>
    /// How many terminated session ids a client (and its policy) keeps. An id matters only while that session is still
    /// live on the agent, and an agent serves at most 64 connections at once (SourceLimits.MaxConnections),
    /// so the latest 100 cover every session that can be live together, even for an agent that was offline meanwhile.
    /// </summary>
    public const int MaxTerminatedSessions = 100;

    /// <summary>Revoked tokens of one epoch; past this, "clear all tokens" is the right tool (and empties the list).</summary>
    public const int MaxRevokedTokens = 200;

    /// <summary>Names that would read as API paths or commands (e.g. /clients/bulk/...).</summary>
    public static readonly IReadOnlySet<string> ReservedAliasNames = new HashSet<string>(StringComparer.Ordinal) { "bulk", "all", "me" };

    public static Decision Decide(ClientCommand command, Client state, Actor actor, DateTimeOffset now)
    {
        if (state.Status == ClientStatus.Removed)
        {
            return Decision.Refuse(RefusalKind.Conflict, "client.removed", "The client was removed from the organization; it has no settings any more.");
        }

        var id = state.Id;
        switch (command)
        {
            case EnableAcl:
                return state.AclEnabled ? Decision.NothingToDo : Decision.Accept(new AclEnabled(id, actor, now));
            case DisableAcl:
                return !state.AclEnabled ? Decision.NothingToDo : Decision.Accept(new AclDisabled(id, actor, now));
            case AddAclEntry add:
                if (!AclEntry.TryParse(add.Entry, out var entry, out var error))
                {
                    return Decision.Refuse(RefusalKind.Invalid, "acl.entry_invalid", error);
                }

                if (entry.Kind == AclEntryKind.Everyone && !add.AllowEveryone)
                {
                    return Decision.Refuse(RefusalKind.Invalid, "acl.everyone_not_confirmed",
                        "'*' admits anyone at all; confirm it explicitly (--allow-everyone) if that is really meant.");
                }

                if (state.AclEntries.Contains(entry.Value))
                {
                    return Decision.NothingToDo;
                }

                return state.AclEntries.Count >= MaxAclEntries
                    ? Decision.Refuse(RefusalKind.Invalid, "acl.too_many", $"An ACL holds at most {MaxAclEntries} entries; use a wildcard alias.")
                    : Decision.Accept(new AclEntryAdded(id, entry.Value, actor, now));
            case RemoveAclEntry remove:
                var normalized = remove.Entry.Trim().ToLowerInvariant();
                return state.AclEntries.Contains(normalized) ? Decision.Accept(new AclEntryRemoved(id, normalized, actor, now)) : Decision.NothingToDo;
            case EnableUnattendedAccess:
                return state.Unattended.Enabled ? Decision.NothingToDo : Decision.Accept(new UnattendedAccessEnabled(id, actor, now));
            case DisableUnattendedAccess:
                return !state.Unattended.Enabled ? Decision.NothingToDo : Decision.Accept(new UnattendedAccessDisabled(id, actor, now));
            case SetExclusiveUnattendedAccess exclusive:
                if (exclusive.Exclusive && state.Unattended.Verifier is null)
                {
                    return Decision.Refuse(RefusalKind.Conflict, "unattended.no_password",
                        "Exclusive unattended access needs an unattended password first (control unattended rotate-password).");
                }

                return state.Unattended.Exclusive == exclusive.Exclusive
                    ? Decision.NothingToDo
                    : Decision.Accept(new ExclusiveUnattendedAccessSet(id, exclusive.Exclusive, actor, now));
            case SetUnattendedPassword password:
                return Decision.Accept(new UnattendedPasswordSet(id, password.Verifier, password.Generated, actor, now));
            case ClearTokens:
                return Decision.Accept(new TokensCleared(id, state.TokenEpoch + 1, actor, now));
            case StartClientTwoFactor start:
                return state.TwoFactor.Enabled
                    ? Decision.Refuse(RefusalKind.Conflict, "client_two_factor.already_enabled", "Two-factor authentication is already on for this client; disable it first.")
                    : Decision.Accept(new ClientTwoFactorEnrollmentStarted(id, start.ProtectedSecret, actor, now));
            case ConfirmClientTwoFactor confirm:
                if (state.TwoFactor.Enabled)
                {
                    return Decision.NothingToDo;
                }

                if (state.TwoFactor.PendingProtectedSecret is null)
                {
                    return Decision.Refuse(RefusalKind.Conflict, "client_two_factor.not_started", "Start the enrolment first (control client-2fa enroll).");
                }

                return TotpRules.TryAccept(confirm.PendingSecret, confirm.Code, now, 0, out _)
                    ? Decision.Accept(new ClientTwoFactorEnabled(id, actor, now))
                    : Decision.Refuse(RefusalKind.Invalid, "client_two_factor.code_invalid", "The code is not valid for this client's new secret.");
            case DisableClientTwoFactor:
                return state.TwoFactor.Enabled || state.TwoFactor.PendingProtectedSecret is not null
                    ? Decision.Accept(new ClientTwoFactorDisabled(id, actor, now))
                    : Decision.NothingToDo;
            case SetSessionPermissions permissions:
                return state.Permissions == permissions.Permissions
                    ? Decision.NothingToDo
                    : Decision.Accept(new SessionPermissionsSet(id, permissions.Permissions, actor, now));
            case SetSessionLogins logins:
                return DecideLogins(logins, state, actor, now);
            case SetClientTags tags:
                var normalizedTags = tags.Tags.Select(t => t.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
                if (normalizedTags.Count > MaxTags || normalizedTags.Any(t => !TagPattern().IsMatch(t)))
                {
                    return Decision.Refuse(RefusalKind.Invalid, "client.tags_invalid",
                        $"Up to {MaxTags} tags of 1-40 lowercase letters, digits, '-', '_' or '.'.");
                }

                return state.Tags.SequenceEqual(normalizedTags) ? Decision.NothingToDo : Decision.Accept(new ClientTagsSet(id, normalizedTags, actor, now));
            case TerminateSession terminate:
                return state.TerminatedSessions.Contains(terminate.SessionId)
                    ? Decision.NothingToDo
                    : Decision.Accept(new ClientSessionTerminated(id, terminate.SessionId, actor, now));
            case RevokeRememberToken revoke:
                if (revoke.IssuedUnderEpoch is not { } epoch)
                {
                    return Decision.Refuse(RefusalKind.NotFound, "token.unknown",
                        $"No remember-token {revoke.TokenId} was issued on this client (control tokens list shows the valid ones).");
                }

                // A token of an older epoch died with "clear all tokens"; a revoked one is dead already: nothing to do.
                if (epoch < state.TokenEpoch || state.RevokedTokenIds.Contains(revoke.TokenId))
                {
                    return Decision.NothingToDo;
                }

                return state.RevokedTokenIds.Count >= MaxRevokedTokens
                    ? Decision.Refuse(RefusalKind.Conflict, "token.too_many_revoked",
                        $"{MaxRevokedTokens} tokens of this client are revoked one by one already; clear all tokens instead (control tokens clear).")
                    : Decision.Accept(new RememberTokenRevoked(id, revoke.TokenId, actor, now));
            case RemoveClient:
                return Decision.Accept(new ClientRemoved(id, actor, now));
            case RemoveClientLicense:
                return !state.Licensed ? Decision.NothingToDo : Decision.Accept(new ClientLicenseRemoved(id, state.Alias, actor, now));
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown client command.");
        }
    }

    /// <summary>Enrolment of a new machine. The alias (when asked for and licensed) is <c>name@namespace</c>.</summary>
    public static Decision Enroll(EnrollClient c, bool aliasTaken, Actor actor, DateTimeOffset now)
    {
        string? alias = null;
        if (!string.IsNullOrWhiteSpace(c.AliasName))
        {
            var name = c.AliasName.Trim().ToLowerInvariant() + (c.AliasSuffix ?? "");
            if (!AliasNamePattern().IsMatch(name))
            {
                return Decision.Refuse(RefusalKind.Invalid, "client.alias_invalid", "An alias name is 1-32 lowercase letters, digits, '.', '_' or '-'.");
            }

            if (ReservedAliasNames.Contains(name))
            {
                return Decision.Refuse(RefusalKind.Invalid, "client.alias_reserved", $"'{name}' is reserved; choose another alias.");
            }

            alias = $"{name}@{c.OrganizationSlug}";
            if (aliasTaken)
            {
                return Decision.Refuse(RefusalKind.Conflict, "client.alias_taken", $"The alias {alias} is already in use.");
            }
        }

        return Decision.Accept(new ClientEnrolled(
            c.ClientId, c.OrganizationId, c.OrganizationSlug, c.Number, c.PublicKey, Security.PolicySignature.Fingerprint(c.PublicKey), c.CredentialHash,
            alias, c.CustomClientId, c.Hostname, actor, now));
    }

    private static Decision DecideLogins(SetSessionLogins command, Client state, Actor actor, DateTimeOffset now)
    {
        var logins = command.Logins.Select(l => l.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (logins.Count is 0 or > Sessions.SessionLogins.MaxLogins || !logins.All(Sessions.SessionLogins.IsValid))
        {
            return Decision.Refuse(RefusalKind.Invalid, "client.logins_invalid", Sessions.SessionLogins.ListRule);
        }

        // Root reaches everything on the machine, the agent's keys and queued audit included: never by a slip of the keyboard.
        if (logins.Contains(Sessions.SessionLogins.Root) && !state.Logins.Contains(Sessions.SessionLogins.Root) && !command.AllowRoot)
        {
            return Decision.Refuse(RefusalKind.Invalid, "client.logins_root_unconfirmed",
                "A root session can read and change everything on the client, the agent's own keys and audit queue included; confirm it explicitly (--allow-root).");
        }

        return state.Logins.SequenceEqual(logins, StringComparer.Ordinal)
            ? Decision.NothingToDo
            : Decision.Accept(new SessionLoginsSet(state.Id, logins, actor, now));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,39}$")]
    public static partial Regex TagPattern();

    /// <summary>The name part of an alias: what <c>--alias NAME</c> may be (the namespace is added by the server).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,31}$")]
    public static partial Regex AliasNamePattern();
}
