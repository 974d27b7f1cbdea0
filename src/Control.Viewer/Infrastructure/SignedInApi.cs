using System.Net;
using Control.Domain.Contracts;

namespace Control.Viewer.Infrastructure;

/// <summary>
/// API calls as the signed-in operator. Refreshes the access token when it has expired or a call is refused with
/// 401 (once per call), stores the rotated refresh token at once (the old one is dead, and presenting it again
/// would end the session), and drops the stored credentials when the server says the session is over.
/// </summary>
internal sealed class SignedInApi : IDisposable
{
    // Refresh a little before the stated expiry so a token does not die between the check and the server.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly CliContext _context;
    private readonly CredentialStore _store;
    private readonly ApiClient _api;

    private SignedInApi(CliContext context, CredentialStore store, Credentials credentials, Uri server)
    {
        _context = context;
        _store = store;
        Credentials = credentials;
        _api = ApiClient.Create(context, server);
    }

    public Credentials Credentials { get; private set; }

    public Uri Server => _api.Server;

    /// <summary>The stored session, or a "not signed in" failure that says which login command to run.</summary>
    public static SignedInApi Open(CliContext context, Uri? serverOverride)
    {
        var store = CredentialStore.For(context);
        var credentials = store.Load() ?? throw CliException.NotSignedIn(new LoginHint(serverOverride, null, null));

        // Tokens go only to the server that issued them: a mistyped or planted --server must not receive them.
        if (serverOverride is not null && !SameServer(serverOverride, credentials.Server))
        {
            throw CliException.Failure(
                $"you are signed in to {credentials.Server.ToString().TrimEnd('/')}, not {serverOverride.ToString().TrimEnd('/')}; " +
                $"the stored tokens are sent only to the server that issued them. To use the other one, run " +
                new LoginHint(serverOverride, credentials.Organization, credentials.Username));
        }

        return new SignedInApi(context, store, credentials, credentials.Server);
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellation) =>
        (await SendAsync<T>(HttpMethod.Get, path, null, cancellation)).Require();

    public async Task<T> PostAsync<T>(
        string path, object? body, CancellationToken cancellation, IReadOnlyDictionary<string, string>? fieldNames = null) =>
        (await SendAsync<T>(HttpMethod.Post, path, body, cancellation)).Require(fieldNames);

    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellation)
    {
        var refreshed = false;
        if (Credentials.AccessTokenExpiresAt <= _context.Clock.GetUtcNow() + ExpiryMargin)
        {
            await RefreshAsync(cancellation);
            refreshed = true;
        }

        var result = await _api.SendAsync<T>(method, path, body, Credentials.AccessToken, cancellation);
        if (result.Status == HttpStatusCode.Unauthorized && !refreshed)
        {
            await RefreshAsync(cancellation);
            result = await _api.SendAsync<T>(method, path, body, Credentials.AccessToken, cancellation);
        }

        if (result.Status == HttpStatusCode.Unauthorized)
        {
            Forget();
            throw CliException.NotSignedIn(Credentials.Hint, "the server refused the session that was just refreshed");
        }

        return result;
    }

    /// <summary>A streamed GET (see <see cref="ApiClient.DownloadAsync"/>), signed in the same way as every other call.</summary>
    public async Task DownloadAsync(string path, Func<Stream, CancellationToken, Task> consume, CancellationToken cancellation)
    {
        var refreshed = false;
        if (Credentials.AccessTokenExpiresAt <= _context.Clock.GetUtcNow() + ExpiryMargin)
        {
            await RefreshAsync(cancellation);
            refreshed = true;
        }

        var result = await _api.DownloadAsync(path, Credentials.AccessToken, consume, cancellation);
        if (result.Status == HttpStatusCode.Unauthorized && !refreshed)
        {
            await RefreshAsync(cancellation);
            result = await _api.DownloadAsync(path, Credentials.AccessToken, consume, cancellation);
        }

        if (result.Status == HttpStatusCode.Unauthorized)
        {
            Forget();
            throw CliException.NotSignedIn(Credentials.Hint, "the server refused the session that was just refreshed");
        }

        result.Require();
    }

    /// <summary>Deletes the stored credentials (after logout, a password change, or a dead session).</summary>
    public void Forget() => _store.Delete();

    private async Task RefreshAsync(CancellationToken cancellation)
    {
        using var exclusive = await _store.LockAsync(ApiClient.Timeout, cancellation);

        // Another control process may have refreshed since this one read the file: its tokens are the live ones now.
        if (_store.Load() is { } latest && latest.RefreshToken != Credentials.RefreshToken && latest.Server == Credentials.Server
            && latest.Organization == Credentials.Organization && latest.Username == Credentials.Username
            && latest.AccessTokenExpiresAt > _context.Clock.GetUtcNow() + ExpiryMargin)
        {
            Credentials = latest;
            return;
        }

        if (Credentials.RefreshTokenExpiresAt <= _context.Clock.GetUtcNow())
        {
            Forget();
            throw CliException.NotSignedIn(Credentials.Hint, "the session expired");
        }

        var result = await _api.SendAsync<TokenResponse>(
            HttpMethod.Post, "auth/refresh", new RefreshRequest(Credentials.RefreshToken), bearerToken: null, cancellation);
        if (result.Status == HttpStatusCode.Unauthorized)
        {
            Forget();
            throw CliException.NotSignedIn(
                Credentials.Hint,
                "the session has ended (signed out, expired, or revoked: disabling an account or resetting its password or 2FA ends every session)");
        }

        var tokens = result.Require();
        Credentials = FromTokens(Credentials.Server, tokens);
        _store.Save(Credentials);
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.GetLeftPart(UriPartial.Path).TrimEnd('/'), b.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public static Credentials FromTokens(Uri server, TokenResponse tokens) => new(
        server, tokens.Operator.Organization, tokens.Operator.Username, tokens.Operator.Role,
        tokens.AccessToken, tokens.AccessTokenExpiresAt, tokens.RefreshToken, tokens.RefreshTokenExpiresAt);

    public void Dispose() => _api.Dispose();
}
