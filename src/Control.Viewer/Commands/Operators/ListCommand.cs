using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators list</c>.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List the operators of your organization: role, status, 2FA, last sign-in, version") { json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var operators = await api.GetAsync<List<OperatorSummary>>("operators", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, operators);
                return Cli.Success;
            }

            Output.Table(
                context.Out,
                ["USERNAME", "ROLE", "STATUS", "2FA", "LAST SIGN-IN", "VERSION"],
                operators.Select(o => (IReadOnlyList<string>)
                [
                    o.Username, o.Role, o.Status, o.TwoFactorEnabled ? "on" : "off", Output.Time(o.LastSignInAt, "never"),
                    o.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ]));
            return Cli.Success;
        });
        return command;
    }
}
