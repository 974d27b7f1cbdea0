using System.CommandLine;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Viewer.Infrastructure;
using Control.Viewer.Sessions;

namespace Control.Viewer.Commands.SignIn;

/// <summary><c>control login</c>: password, then a TOTP or recovery code when the account has 2FA; stores the tokens.</summary>
internal static class LoginCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["organization"] = "--org",
        ["username"] = "--user",
        ["password"] = "password",
        ["totpCode"] = "authentication code",
        ["recoveryCode"] = "recovery code",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var organization = new Option<string?>("--org")
        {
            Description = "Your organization's namespace (default: the one you last signed in to)",
            HelpName = "SLUG",
        };
        var user = new Option<string?>("--user") { Description = "Your username (default: the one you last signed in as)", HelpName = "NAME" };
        var json = GlobalOptions.Json();
        var command = new Command("login", "Sign in; asks for the password and, when 2FA is on, an authentication or recovery code")
        {
            organization, user, json,
        };

        command.SetAction(async (parse, cancellation) =>
        {
            var store = CredentialStore.For(context);
            var previous = store.Load();
            var server = parse.GetValue(globals.Server) ?? previous?.Server
                ?? throw CliException.Usage("--server is required (nothing is stored from an earlier login).", "control login");
            var slug = parse.GetValue(organization) ?? previous?.Organization
                ?? throw CliException.Usage("--org is required (nothing is stored from an earlier login).", "control login");
            var username = parse.GetValue(user) ?? previous?.Username
                ?? throw CliException.Usage("--user is required (nothing is stored from an earlier login).", "control login");

            var password = Prompt.Secret(context, $"Password for {username}@{slug}: ");
            using var api = ApiClient.Create(context, server);
            var result = await api.SendAsync<TokenResponse>(
                HttpMethod.Post, "auth/login", new LoginRequest(slug, username, password, null, null), null, cancellation);
            if (result.Problem is { Code: SignInProblemCodes.SecondFactorRequired })
            {
                var (totpCode, recoveryCode) = SecondFactor.Classify(Prompt.Line(context, "Authentication code (or recovery code): "));
                result = await api.SendAsync<TokenResponse>(
                    HttpMethod.Post, "auth/login", new LoginRequest(slug, username, password, totpCode, recoveryCode), null, cancellation);
            }

            var tokens = result.Require(Fields);
            store.Save(SignedInApi.FromTokens(server, tokens));

            // The identity for sessions: this viewer's key (created once, 0600) and a fresh short-lived certificate, for the
            // roles that open sessions (the API refuses one to the others).
            var me = tokens.Operator;
            if (SessionRoles.Opens(me.Role))
            {
                await ObtainViewerCertificate(context, server, cancellation);
            }
            else
            {
                ViewerIdentity.Forget(context);
            }

            var notes = parse.GetValue(json) ? context.Error : context.Out;
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, me);
            }
            else
            {
                await context.Out.WriteLineAsync($"Signed in as {me.Username}@{me.Organization} ({me.Role})");
            }

            if (!me.TwoFactorEnabled)
            {
                await notes.WriteLineAsync("Recommended: turn on two-factor authentication with 'control 2fa enroll'.");
            }
            else if (me.RecoveryCodesLeft <= 2)
            {
                await notes.WriteLineAsync(
                    $"Only {me.RecoveryCodesLeft} recovery code(s) left: make new ones with 'control 2fa recovery-codes CODE'.");
            }

            return Cli.Success;
        });
        return command;
    }

    /// <summary>A sign-in that cannot get a certificate still succeeds: only sessions need one, and they say so.</summary>
    private static async Task ObtainViewerCertificate(CliContext context, Uri server, CancellationToken cancellation)
    {
        try
        {
            using var signedIn = SignedInApi.Open(context, server);
            using var certificate = await ViewerIdentity.EnsureAsync(context, signedIn, renew: true, cancellation);
        }
        catch (CliException e) when (e.Kind != CliFailureKind.NotSignedIn)
        {
            ViewerIdentity.Forget(context);
            await context.Error.WriteLineAsync(
                $"warning: signed in, but got no viewer certificate ({e.Message.Replace("error: ", "", StringComparison.Ordinal)}); sessions (connect, exec) will not work until it is renewed");
        }
    }
}

/// <summary>What the person typed at the second-factor prompt: six digits are a TOTP code, anything else a recovery code.</summary>
internal static class SecondFactor
{
    public static (string? TotpCode, string? RecoveryCode) Classify(string typed)
    {
        var compact = typed.Replace(" ", "", StringComparison.Ordinal).Trim();
        return compact.Length == 6 && compact.All(char.IsAsciiDigit) ? (compact, null) : (null, typed.Trim());
    }
}
