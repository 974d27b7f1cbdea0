using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.Sessions;

namespace Control.Domain.People;

/// <summary>
/// Someone who knows a secret now, and how they came to know it. Identified by whichever of operator id, alias or
/// person the fact named; a person's exposure matches all three against their links, so a link made later still counts.
/// </summary>
/// <param name="TokenId">For a remember-token: which one (revoking it ends this knowledge alone).</param>
public sealed record Knower(Guid? OperatorId, string? Alias, Guid? PersonId, string How, DateTimeOffset Since, string? TokenId = null);

/// <summary>
/// Who knows one secret now (the exposure projection's document, one per secret). Its id is
/// <see cref="KeyOf(SecretKind, Guid)"/>. Rotating the secret empties <see cref="Knowers"/>: knowledge of the old value
/// is worth nothing.
/// </summary>
public sealed record SecretKnowledge
{
    public required string Id { get; init; }
    public required SecretKind Secret { get; init; }
    public required Guid SubjectId { get; init; }
    public IReadOnlyList<Knower> Knowers { get; init; } = [];
    public DateTimeOffset? RotatedAt { get; init; }

    public static string KeyOf(SecretKind secret, Guid subjectId) => $"{Name(secret)}:{subjectId:N}";

    public static string Name(SecretKind secret) => secret switch
    {
        SecretKind.LicenseKey => "license-key",
        SecretKind.CustomClientLink => "custom-client-link",
        SecretKind.UnattendedPassword => "unattended-password",
        SecretKind.ClientTotpSecret => "client-totp-secret",
        SecretKind.OperatorPassword => "operator-password",
        SecretKind.RememberToken => "remember-token",
        _ => secret.ToString(),
    };

    public static bool TryParseName(string? name, out SecretKind secret)
    {
        foreach (var kind in Enum.GetValues<SecretKind>())
        {
            if (Name(kind) == name)
            {
                secret = kind;
                return true;
            }
        }

        secret = default;
        return false;
    }

    /// <summary>Which secret an event teaches or rotates, or null when it does neither.</summary>
    public static string? KeyOf(object @event) => @event switch
    {
        SecretRevealed e => KeyOf(e.Secret, e.SubjectId),
        PersonKnowledgeRecorded e => KeyOf(e.Secret, e.SubjectId),
        UnattendedPasswordSet e => KeyOf(SecretKind.UnattendedPassword, e.ClientId),
        SessionAuthenticated e when UsedPassword(e) => KeyOf(SecretKind.UnattendedPassword, e.ClientId),
        LicenseKeyReset e => KeyOf(SecretKind.LicenseKey, e.OrganizationId),
        CustomClientTokenRotated e => KeyOf(SecretKind.CustomClientLink, e.CustomClientId),
        CustomClientDeleted e => KeyOf(SecretKind.CustomClientLink, e.CustomClientId),
        ClientTwoFactorEnrollmentStarted e => KeyOf(SecretKind.ClientTotpSecret, e.ClientId),
        ClientTwoFactorDisabled e => KeyOf(SecretKind.ClientTotpSecret, e.ClientId),
        OperatorPasswordReset e => KeyOf(SecretKind.OperatorPassword, e.OperatorId),
        OperatorPasswordChanged e => KeyOf(SecretKind.OperatorPassword, e.OperatorId),
        RememberTokenIssued e => KeyOf(SecretKind.RememberToken, e.ClientId),
        TokensCleared e => KeyOf(SecretKind.RememberToken, e.ClientId),
        RememberTokenRevoked e => KeyOf(SecretKind.RememberToken, e.ClientId),
        _ => null,
    };

    public static SecretKnowledge? Evolve(SecretKnowledge? state, string id, object @event)
    {
        var (secret, subject) = ParseKey(id);
        state ??= new SecretKnowledge { Id = id, Secret = secret, SubjectId = subject };
        return @event switch
        {
            SecretRevealed e => state.Learn(new Knower(e.To.OperatorId, e.To.OperatorId is null ? null : e.To.Name, null, "shown by Control", e.At)),
            PersonKnowledgeRecorded e => state.Learn(new Knower(null, null, e.PersonId, $"recorded by {e.By.Name}", e.At)),
            SessionAuthenticated e => state.Learn(new Knower(null, e.ViewerAlias, null, "signed in to the client with it", e.At)),
            RememberTokenIssued e => state.Learn(new Knower(null, e.ViewerAlias, null, "holds a remember-token", e.At, e.TokenId)),
            RememberTokenRevoked e => state with { Knowers = state.Knowers.Where(k => k.TokenId != e.TokenId).ToList() },

            // An operator who typed the new password knows it; a generated one is known to whom it is shown (SecretRevealed follows).
            UnattendedPasswordSet { Generated: false } e => state.Rotated(e.At) with
            {
                Knowers = [new Knower(e.By.OperatorId, e.By.OperatorId is null ? null : e.By.Name, null, "chose it", e.At)],
            },
            UnattendedPasswordSet e => state.Rotated(e.At),
            LicenseKeyReset e => state.Rotated(e.At),
            CustomClientTokenRotated e => state.Rotated(e.At),
            CustomClientDeleted e => state.Rotated(e.At),
            ClientTwoFactorEnrollmentStarted e => state.Rotated(e.At),
            ClientTwoFactorDisabled e => state.Rotated(e.At),
            OperatorPasswordReset e => state.Rotated(e.At),
            OperatorPasswordChanged e => state.Rotated(e.At),
            TokensCleared e => state.Rotated(e.At),
            _ => state,
        };
    }

    /// <summary>Whether this person is among the knowers (by a linked operator, one of their aliases, or by name).</summary>
    public IEnumerable<Knower> KnownBy(Person person)
    {
        var aliases = person.AclIdentities().ToHashSet(StringComparer.Ordinal);
        var operators = person.Operators.Select(o => o.OperatorId).ToHashSet();
        return Knowers.Where(k =>
            k.PersonId == person.Id || (k.OperatorId is { } op && operators.Contains(op)) || (k.Alias is { } alias && aliases.Contains(alias)));
    }

    private SecretKnowledge Learn(Knower knower) => this with { Knowers = [.. Knowers, knower] };

    private SecretKnowledge Rotated(DateTimeOffset at) => this with { Knowers = [], RotatedAt = at };

    // The agent names the methods for people ("unattended password (SCRAM-SHA-256)", "remember-token ID", ...).
    private static bool UsedPassword(SessionAuthenticated e) => e.Methods.Any(m => m.StartsWith("unattended password", StringComparison.Ordinal));

    /// <summary>The inverse of <see cref="KeyOf(SecretKind, Guid)"/>: which secret of which subject a key names.</summary>
    public static (SecretKind Secret, Guid Subject) ParseKey(string id)
    {
        var separator = id.LastIndexOf(':');
        return TryParseName(id[..separator], out var secret) && Guid.TryParseExact(id[(separator + 1)..], "N", out var subject)
            ? (secret, subject)
            : throw new ArgumentException($"'{id}' is not a secret's key.", nameof(id));
    }
}
