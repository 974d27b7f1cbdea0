using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.SignIn;

/// <summary><c>control logout</c>: revokes the refresh session on the server (best effort) and deletes the credentials file.</summary>
internal static class LogoutCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("logout", "Sign out: end the session on the server and delete the stored credentials");
        command.SetAction(async (parse, cancellation) =>
        {
            var store = CredentialStore.For(context);
            var credentials = store.Load();
            if (credentials is null)
            {
                await context.Out.WriteLineAsync("Not signed in; nothing to do.");
                return Cli.Success;
            }

            try
            {
                using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
                await api.PostAsync<NoContent>("auth/logout", new LogoutRequest(credentials.RefreshToken), cancellation);
            }
            catch (CliException e) when (e.Kind != CliFailureKind.NotSignedIn)
            {
                // The local copy goes regardless; the server-side session then just runs out.
                await context.Error.WriteLineAsync(
                    $"warning: the server was not told ({e.Message.Replace("error: ", "", StringComparison.Ordinal)}); " +
                    $"the session stays valid there until {Output.Time(credentials.RefreshTokenExpiresAt)}, but no copy of it is kept here");
            }

            store.Delete();
            Control.Viewer.Sessions.ViewerIdentity.Forget(context);
            await context.Out.WriteLineAsync($"Signed out {credentials.QualifiedName}.");
            return Cli.Success;
        });
        return command;
    }
}
