using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.TwoFactor;

/// <summary><c>control 2fa confirm CODE</c>: a first valid code turns 2FA on and yields ten recovery codes, shown once.</summary>
internal static class ConfirmCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var code = TwoFactorCommands.CodeArgument();
        var json = GlobalOptions.Json();
        var command = new Command("confirm", "Turn 2FA on with a code from your authenticator app; prints your recovery codes once") { code, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var result = await api.PostAsync<RecoveryCodesResponse>(
                "me/2fa/confirm", new TwoFactorCodeRequest(TwoFactorCommands.Normalize(parse.GetValue(code)!), null), cancellation,
                TwoFactorCommands.Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, result);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync($"Two-factor authentication is on for {api.Credentials.QualifiedName}.");
            await context.Out.WriteLineAsync();
            await TwoFactorCommands.WriteRecoveryCodesAsync(context.Out, result.RecoveryCodes);
            return Cli.Success;
        });
        return command;
    }
}
