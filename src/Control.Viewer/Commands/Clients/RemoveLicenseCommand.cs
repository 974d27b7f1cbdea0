using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Clients;

/// <summary><c>control clients remove-license</c>: the client stays enrolled as a free client.</summary>
internal static class RemoveLicenseCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Took the license off {name}: it is now a free client and its alias is released",
        name => $"{name} has no license");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("take its license off");
        var command = options.AddTo(new Command(
            "remove-license", "Take the license off a client: it stays enrolled as a free client and its namespaced alias is released"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.RemoveLicense, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
