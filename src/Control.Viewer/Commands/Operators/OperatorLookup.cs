using System.CommandLine;
using System.Globalization;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Operators;

/// <summary>The operator a command names: a username of the signed-in organization, or an operator id.</summary>
internal static class OperatorLookup
{
    public static Argument<string> Argument() => new("USERNAME")
    {
        Description = "The operator's username in your organization (or their id)",
    };

    /// <summary>
    /// Looks the operator up in the organization's list (anyone allowed to act on operators may read it), so an id
    /// given on the command line still gets a name in the output.
    /// </summary>
    public static async Task<OperatorSummary> ResolveAsync(SignedInApi api, string given, CancellationToken cancellation)
    {
        var operators = await api.GetAsync<List<OperatorSummary>>("operators", cancellation);
        var username = given.Trim().ToLowerInvariant();
        var match = Guid.TryParse(given, out var id)
            ? operators.FirstOrDefault(o => o.Id == id)
            : operators.FirstOrDefault(o => string.Equals(o.Username, username, StringComparison.Ordinal));
        return match ?? throw CliException.Failure(
            $"there is no operator '{given.Trim()}' in {api.Credentials.Organization}; see 'control operators list'");
    }
}

/// <summary>The shape shared by disable, enable, reset-password and reset-2fa: who, why, optionally at which version.</summary>
internal sealed class OperatorActionOptions
{
    public Argument<string> Operator { get; } = OperatorLookup.Argument();

    public Option<string> Reason { get; }

    public Option<long?> ExpectedVersion { get; } = GlobalOptions.ExpectedVersion();

    public Option<bool> Json { get; } = GlobalOptions.Json();

    public OperatorActionOptions(string reasonVerb) => Reason = GlobalOptions.Reason(reasonVerb);

    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reason"] = "--reason",
        ["expectedVersion"] = "--expected-version",
    };

    public Command AddTo(Command command)
    {
        command.Arguments.Add(Operator);
        command.Options.Add(Reason);
        command.Options.Add(ExpectedVersion);
        command.Options.Add(Json);
        return command;
    }

    public OperatorActionRequest Request(ParseResult parse) => new(parse.GetValue(Reason), parse.GetValue(ExpectedVersion));

    /// <summary>
    /// An admin verb on one operator that answers the operator's new status: <c>control operators VERB USERNAME --reason</c>
    /// posting to <c>/operators/{id}/VERB</c>; <paramref name="done"/> phrases a change from the operator's qualified name and new state.
    /// </summary>
    public static Command Verb(CliContext context, GlobalOptions globals, string verb, string description, string reasonVerb, Func<string, string, string> done)
    {
        var options = new OperatorActionOptions(reasonVerb);
        var command = options.AddTo(new Command(verb, description));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var target = await OperatorLookup.ResolveAsync(api, parse.GetValue(options.Operator)!, cancellation);
            var response = await api.PostAsync<OperatorActionResponse>(
                $"operators/{target.Id}/{verb}", options.Request(parse), cancellation, Fields);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(context.Out, response);
                return Cli.Success;
            }

            var name = $"{target.Username}@{api.Credentials.Organization}";
            var state = $"status {response.Status}, version {response.Version.ToString(CultureInfo.InvariantCulture)}";
            await context.Out.WriteLineAsync(response.Changed
                ? done(name, state)
                : $"Nothing changed: {name} is already {response.Status} (version {response.Version.ToString(CultureInfo.InvariantCulture)}).");
            return Cli.Success;
        });
        return command;
    }
}
