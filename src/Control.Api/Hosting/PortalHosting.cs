using Control.Api.Auth;
using Control.Api.Infrastructure;
using Microsoft.Extensions.FileProviders;

namespace Control.Api.Hosting;

/// <summary>
/// The portal: static files built from src/Control.Portal (copied into the output's <c>portal/</c> folder), served at
/// "/" on the API's own origin, plus the browser-facing protections every response gets. The portal calls the same
/// JSON endpoints as the CLI; its routes live in the URL fragment, so no path is shared between the two.
/// </summary>
public static class PortalHosting
{
    // 'wasm-unsafe-eval' lets the page compile WebAssembly (asciinema-player's terminal core, bundled in /assets) and
    // nothing else: JavaScript eval, new Function and inline script stay refused. See docs/portal.md.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "portal");

    /// <summary>Security headers on every response (set when the response starts, so error responses have them too).</summary>
    public static void UseSecurityHeaders(this WebApplication app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>index.html at "/", the bundle under /assets/. Nothing else: every other path is the API's.</summary>
    public static void UsePortalFiles(this WebApplication app)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            app.Logger.LogWarning("No portal in {Directory}: build it with ops/portal-build before building the API.", Directory);
            return;
        }

        var files = new PhysicalFileProvider(Directory);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Not fingerprinted: the browser revalidates (ETag) so a new build shows at the next load.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }

    /// <summary>
    /// Cross-site request forgery defences, after authentication: a cookie-authenticated unsafe request must carry its
    /// session's token in X-CSRF-Token; and an unsafe request without an Authorization header (a browser's: the CLI and
    /// agents always send one) is refused when its Origin is another site's, which also stops a forged sign-in.
    /// Bearer and agent requests are not affected.
    /// </summary>
    public static void UseCsrfProtection(this WebApplication app) => app.Use(async (http, next) =>
    {
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            await next(http);
            return;
        }

        if (http.Request.Headers.Authorization.Count == 0 && http.Request.Headers.Origin is { Count: > 0 } origin && !SameHost(origin.ToString(), http.Request))
        {
            await Problems.Write(http, StatusCodes.Status403Forbidden, "Cross-site request refused.",
                "Requests from pages of another site are not accepted.", "csrf.cross_site");
            return;
        }

        // Anonymous endpoints (sign-in, activation) act on no session, so a cookie sent along gives them nothing to forge.
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: PortalAuthentication.SchemeName }
            && http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
            && !(Guid.TryParse(http.User.FindFirst(PortalAuthentication.SessionClaim)?.Value, out var sessionId)
                && http.RequestServices.GetRequiredService<PortalSessions>().CsrfTokenMatches(sessionId, http.Request.Headers[PortalSessions.CsrfHeader])))
        {
            await Problems.Write(http, StatusCodes.Status403Forbidden, "Anti-forgery token missing or wrong.",
                $"Send the session's token (GET /portal/session, csrfToken) in the {PortalSessions.CsrfHeader} header.", "csrf.invalid");
            return;
        }

        await next(http);
    });

    // Host and port only: behind a TLS-terminating proxy the scheme the API sees differs from the browser's.
    private static bool SameHost(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
