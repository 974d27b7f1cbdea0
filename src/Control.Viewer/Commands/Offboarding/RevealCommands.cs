using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Offboarding;

/// <summary>
/// <c>control unattended reveal CLIENT</c> and <c>control license reveal</c>: a secret an offboarding generated and showed
/// to no one, shown now to the admin who asks (recorded as an event: from now on they know it).
/// </summary>
internal static class RevealCommands
{
    internal sealed record Revealed(string Secret, string Subject, string Value, DateTimeOffset SealedAt);

    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal) { ["reason"] = "--reason" };

    public static Command Unattended(CliContext context, GlobalOptions globals)
    {
        var client = new Argument<string>("CLIENT") { Description = "Alias, 9-digit number or id" };
        return Create(context, globals, "Show the unattended password an offboarding generated for a client (recorded: you then know it)",
            parse => $"clients/{Uri.EscapeDataString(parse.GetValue(client)!)}/unattended/reveal", client);
    }

    public static Command License(CliContext context, GlobalOptions globals) =>
        Create(context, globals, "Show the license key an offboarding generated (recorded: you then know it)", _ => "license/reveal");

    private static Command Create(CliContext context, GlobalOptions globals, string description, Func<ParseResult, string> path, params Argument[] symbols)
    {
        var reason = GlobalOptions.Reason("see the secret");
        var json = GlobalOptions.Json();
        var command = new Command("reveal", description) { reason, json };
        foreach (var symbol in symbols)
        {
            command.Add(symbol);
        }

        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var revealed = await api.PostAsync<Revealed>(path(parse), new ReasonRequest(parse.GetValue(reason)), cancellation, Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, revealed);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync($"The {revealed.Secret.Replace('-', ' ')} of {revealed.Subject} (generated {Output.Time(revealed.SealedAt)}):");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"    {revealed.Value}");
            return Cli.Success;
        });
        return command;
    }
}
