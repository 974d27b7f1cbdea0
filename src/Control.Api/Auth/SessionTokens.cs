namespace Control.Api.Auth;

/// <summary>
/// The shape of every server-side session's bearer secret (refresh tokens, portal session cookies):
/// <c>{organization}.{session id}.{secret}</c>, so one lookup in the right tenant finds it; only the secret's hash is stored.
/// </summary>
public static class SessionTokens
{
    public static string Format(string organization, Guid sessionId, string secret) => $"{organization}.{sessionId:N}.{secret}";

    public static bool TryParse(string? token, out string organization, out Guid sessionId, out string secret)
    {
        organization = "";
        sessionId = Guid.Empty;
        secret = "";
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 3 || !Guid.TryParseExact(parts[1], "N", out sessionId) || parts[2].Length < 40
            || !Domain.Organizations.OrganizationRules.IsValidSlug(parts[0]))
        {
            return false;
        }

        organization = parts[0];
        secret = parts[2];
        return true;
    }
}
