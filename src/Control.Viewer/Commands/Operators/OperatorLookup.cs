using System.CommandLine;
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
}
