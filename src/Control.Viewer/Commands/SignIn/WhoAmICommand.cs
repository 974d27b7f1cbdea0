using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.SignIn;

/// <summary><c>control whoami</c>: asks the server who the stored session belongs to (so a revoked session shows as such).</summary>
internal static class WhoAmICommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var json = GlobalOptions.Json();
        var command = new Command("whoami", "Show who you are signed in as, on which server, and your 2FA state") { json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var me = await api.GetAsync<WhoAmIResponse>("me", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, me);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync($"{me.Username}@{me.Organization} ({me.Role})");
            await context.Out.WriteLineAsync($"server:     {api.Server.ToString().TrimEnd('/')}");
            await context.Out.WriteLineAsync(me.TwoFactorEnabled
                ? $"two-factor: on, {me.RecoveryCodesLeft} recovery code(s) left"
                : "two-factor: off (turn it on with 'control 2fa enroll')");
            return Cli.Success;
        });
        return command;
    }
}
