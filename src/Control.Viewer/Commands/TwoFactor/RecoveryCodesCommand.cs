using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.TwoFactor;

/// <summary><c>control 2fa recovery-codes CODE</c>: ten new recovery codes; the old ones stop working.</summary>
internal static class RecoveryCodesCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var code = TwoFactorCommands.CodeArgument();
        var json = GlobalOptions.Json();
        var command = new Command("recovery-codes", "Replace your recovery codes (proven with a current authenticator code); the old ones stop working")
        {
            code, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var result = await api.PostAsync<RecoveryCodesResponse>(
                "me/2fa/recovery-codes", new TwoFactorCodeRequest(TwoFactorCommands.Normalize(parse.GetValue(code)!), null), cancellation,
                TwoFactorCommands.Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, result);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync($"New recovery codes for {api.Credentials.QualifiedName}; the previous ones no longer work.");
            await context.Out.WriteLineAsync();
            await TwoFactorCommands.WriteRecoveryCodesAsync(context.Out, result.RecoveryCodes);
            return Cli.Success;
        });
        return command;
    }
}
