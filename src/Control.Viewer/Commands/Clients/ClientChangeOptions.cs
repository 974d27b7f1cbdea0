using System.CommandLine;
using System.CommandLine.Parsing;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Clients;

/// <summary>What a settings verb says about its outcome for one client: the sentence when it changed, and when it already held.</summary>
/// <param name="Changed">E.g. <c>name =&gt; $"Turned the ACL of {name} on"</c>.</param>
/// <param name="Unchanged">E.g. <c>name =&gt; $"the ACL of {name} is already on"</c> (printed after "Nothing changed: ").</param>
internal sealed record ClientChangeText(Func<string, string> Changed, Func<string, string> Unchanged);

/// <summary>
/// The shape shared by every verb that changes client settings: one CLIENT, or <c>--where tag=NAME</c> for every active
/// client with that tag (<c>POST /clients/bulk/{action}</c>), why, optionally at which version, and <c>--json</c>.
/// </summary>
internal sealed class ClientChangeOptions
{
    private static readonly IReadOnlyDictionary<string, string> BaseFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reason"] = "--reason",
        ["expectedVersion"] = "--expected-version",
        ["tag"] = "--where",
    };

    private readonly List<Argument> _following = [];

    public ClientChangeOptions(string reasonVerb)
    {
        Reason = GlobalOptions.Reason(reasonVerb);
        Client = new Argument<string?>("CLIENT")
        {
            Description = ClientTarget.Help + " (or --where instead)",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = ParseClient,
        };
    }

    public Argument<string?> Client { get; }

    public Option<string?> Where { get; } = new("--where")
    {
        Description = "Instead of CLIENT: every active client with this tag, e.g. --where tag=kiosk (one change per client, all under one correlation id)",
        HelpName = "tag=NAME",
        CustomParser = ClientTarget.ParseWhere,
    };

    public Option<string> Reason { get; }

    public Option<long?> ExpectedVersion { get; } = GlobalOptions.ExpectedVersion("the client", "'control clients show'");

    public Option<bool> Json { get; } = GlobalOptions.Json();

    /// <summary>Adds CLIENT, then <paramref name="following"/> (ENTRY, TAG...), then the shared options and their rules.</summary>
    public Command AddTo(Command command, params Argument[] following)
    {
        command.Arguments.Add(Client);
        foreach (var argument in following)
        {
            command.Arguments.Add(argument);
            _following.Add(argument);
        }

        command.Options.Add(Where);
        command.Options.Add(Reason);
        command.Options.Add(ExpectedVersion);
        command.Options.Add(Json);
        command.Validators.Add(result =>
        {
            var hasWhere = result.GetResult(Where) is not null;
            if ((result.GetValue(Client) is not null) == hasWhere)
            {
                result.AddError("Give exactly one of CLIENT and --where tag=NAME.");
            }
            else if (hasWhere && result.GetResult(ExpectedVersion) is not null)
            {
                result.AddError("--expected-version applies to a single CLIENT; it cannot be combined with --where.");
            }
        });
        return command;
    }

    /// <summary>The reason and expected version; each verb adds the fields its action reads (<c>request with { Entry = ... }</c>).</summary>
    public ClientChangeRequest Request(ParseResult parse) => new(parse.GetValue(Reason), parse.GetValue(ExpectedVersion));

    public bool IsBulk(ParseResult parse) => parse.GetValue(Where) is not null;

    /// <summary>
    /// Sends the change for CLIENT or for every client with the tag, and prints the outcome: JSON, or one sentence per
    /// client (bulk: plus the correlation id), and any server-generated password once.
    /// </summary>
    public async Task<int> RunAsync(
        CliContext context, SignedInApi api, ParseResult parse, string action, ClientChangeRequest request, ClientChangeText text,
        CancellationToken cancellation, IReadOnlyDictionary<string, string>? fields = null)
    {
        var fieldNames = new Dictionary<string, string>(BaseFields, StringComparer.Ordinal);
        foreach (var (field, name) in fields ?? new Dictionary<string, string>())
        {
            fieldNames[field] = name;
        }

        if (parse.GetValue(Where) is { } tag)
        {
            var bulk = await api.PostAsync<BulkChangeResponse>(
                $"clients/bulk/{action}", request with { ExpectedVersion = null, Tag = tag }, cancellation, fieldNames);
            if (parse.GetValue(Json))
            {
                Output.WriteJson(context.Out, bulk);
                return Cli.Success;
            }

            await WriteBulkAsync(context.Out, tag, bulk, text);
            return Cli.Success;
        }

        var given = parse.GetValue(Client)!;
        var response = await ClientTarget.SendAsync<ClientChangeResponse>(
            api, HttpMethod.Post, given, "/" + action, request, cancellation, fieldNames);
        if (parse.GetValue(Json))
        {
            Output.WriteJson(context.Out, response);
            return Cli.Success;
        }

        await context.Out.WriteLineAsync(Sentence(response, ClientTarget.Name(given, response.Number), text));
        if (response.RevealedPassword is { } password)
        {
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync(
                "Unattended password (give it only to whoever needs unattended access; it is shown only now, the server keeps only a verifier):");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"    {password}");
        }

        return Cli.Success;
    }

    private static string Sentence(ClientChangeResponse response, string name, ClientChangeText text) => response.Changed
        ? $"{text.Changed(name)} (version {ClientTarget.Version(response.Version)})."
        : $"Nothing changed: {text.Unchanged(name)} (version {ClientTarget.Version(response.Version)}).";

    private static async Task WriteBulkAsync(TextWriter output, string tag, BulkChangeResponse bulk, ClientChangeText text)
    {
        if (bulk.Clients.Count == 0)
        {
            await output.WriteLineAsync($"No active client has the tag '{tag}'; nothing changed.");
            return;
        }

        foreach (var client in bulk.Clients)
        {
            await output.WriteLineAsync(Sentence(client, $"client {client.Number}", text));
        }

        var changed = bulk.Clients.Count(c => c.Changed);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{changed} of {bulk.Clients.Count} client(s) with the tag '{tag}' changed.");
        await output.WriteLineAsync(
            $"Correlation id: {bulk.CorrelationId} (all of these changes: control audit events --correlation {bulk.CorrelationId})");
        var revealed = bulk.Clients.Where(c => c.RevealedPassword is not null).ToList();
        if (revealed.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync(
                "Unattended passwords, one per client (give each only to whoever needs unattended access to that client; they are shown only now):");
            await output.WriteLineAsync();
            foreach (var client in revealed)
            {
                await output.WriteLineAsync($"    {client.Number}  {client.RevealedPassword}");
            }
        }
    }

    /// <summary>
    /// With <c>--where</c>, CLIENT stands for nothing: a token the parser gave it belongs to the next argument (ENTRY,
    /// TAG...), unless that one already has all it takes (then both CLIENT and --where were given: a usage error).
    /// </summary>
    private string? ParseClient(ArgumentResult result)
    {
        if (result.GetResult(Where) is not null && _following.Count > 0)
        {
            var next = _following[0];
            var nextTokens = result.GetResult(next)?.Tokens.Count ?? 0;
            if (next.Arity.MaximumNumberOfValues > 1 || nextTokens < next.Arity.MinimumNumberOfValues)
            {
                result.OnlyTake(0);
                return null;
            }
        }

        return result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
    }
}
