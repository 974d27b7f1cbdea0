using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Acl;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Organizations;

/// <summary>
/// <c>control org acl ...</c>: entries every client admits in addition to its own ACL (while that ACL is on), so one
/// change reaches every agent.
/// </summary>
internal static class OrganizationAclCommands
{
    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(AclCommands.Fields, StringComparer.Ordinal)
    {
        ["reason"] = "--reason",
        ["expectedVersion"] = "--expected-version",
    };

    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("acl", "Organization-wide ACL entries: admitted by every client whose ACL is on, in addition to its own entries")
        {
            OrganizationAclListCommand.Create(context, globals),
            OrganizationAclAddCommand.Create(context, globals),
            OrganizationAclRemoveCommand.Create(context, globals),
        };

    /// <summary>What add and remove share: ENTRY, why, optionally at which version, and <c>--json</c>.</summary>
    public sealed class ChangeOptions(string entryDescription, string reasonVerb)
    {
        public Argument<string> Entry { get; } = AclCommands.EntryArgument(entryDescription);

        public Option<string> Reason { get; } = GlobalOptions.Reason(reasonVerb);

        public Option<long?> ExpectedVersion { get; } = GlobalOptions.ExpectedVersion("the organization", "'control org acl list'");

        public Option<bool> Json { get; } = GlobalOptions.Json();

        public Command AddTo(Command command)
        {
            command.Arguments.Add(Entry);
            command.Options.Add(Reason);
            command.Options.Add(ExpectedVersion);
            command.Options.Add(Json);
            return command;
        }

        public string Value(ParseResult parse) => AclCommands.Normalize(parse.GetValue(Entry)!);

        public ClientChangeRequest Request(ParseResult parse) => new(parse.GetValue(Reason), parse.GetValue(ExpectedVersion), Value(parse));

        /// <summary>Sends <c>POST /organization/acl/{action}</c> and prints the outcome: JSON, or one sentence (changed or not).</summary>
        public async Task<int> RunAsync(
            CliContext context, GlobalOptions globals, ParseResult parse, string action, ClientChangeRequest request, string changed,
            string unchanged, CancellationToken cancellation)
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var view = await api.PostAsync<OrganizationAclView>($"organization/acl/{action}", request, cancellation, Fields);
            if (parse.GetValue(Json))
            {
                Output.WriteJson(context.Out, view);
                return Cli.Success;
            }

            var version = ClientTarget.Version(view.Version);
            await context.Out.WriteLineAsync(view.Changed
                ? $"{changed} (version {version}): every client's next policy carries the change."
                : $"Nothing changed: {unchanged} (version {version}).");
            return Cli.Success;
        }
    }
}
