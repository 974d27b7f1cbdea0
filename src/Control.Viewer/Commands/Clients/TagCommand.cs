using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Clients;

/// <summary><c>control clients tag CLIENT TAG... | --clear</c>: replaces the client's tags (the list given is the new list).</summary>
internal static class TagCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal) { ["tags"] = "TAG" };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var tags = new Argument<string[]>("TAG")
        {
            Description = "The client's new tags, replacing the old ones (separate with spaces or commas); " + ClientTarget.TagRule,
            Arity = ArgumentArity.ZeroOrMore,
        };
        var clear = new Option<bool>("--clear") { Description = "Remove every tag (instead of giving TAG...)" };
        var options = new ClientChangeOptions("change the tags");
        var command = options.AddTo(
            new Command("tag", "Set a client's tags (the whole list: tags not given are removed); bulk changes select clients by tag") { clear }, tags);
        command.Validators.Add(result =>
        {
            var given = Split(result.GetValue(tags));
            if ((given.Count > 0) == result.GetValue(clear))
            {
                result.AddError("Give the new tags (TAG...) or --clear, not both and not neither.");
            }

            foreach (var tag in given.Where(t => ClientTarget.NormalizeTag(t) is null))
            {
                result.AddError($"'{tag}' is not a tag: {ClientTarget.TagRule}.");
            }
        });

        command.SetAction(async (parse, cancellation) =>
        {
            // The server keeps tags as a sorted set; show them the same way.
            var list = Split(parse.GetValue(tags)).Select(t => ClientTarget.NormalizeTag(t)!).Distinct().Order(StringComparer.Ordinal).ToList();
            var shown = list.Count == 0 ? "none" : string.Join(", ", list);
            var text = new ClientChangeText(
                name => list.Count == 0 ? $"Removed every tag from {name}" : $"Set the tags of {name} to {shown}",
                name => list.Count == 0 ? $"{name} has no tags" : $"the tags of {name} are already {shown}");
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.SetTags, options.Request(parse) with { Tags = list }, text, cancellation, Fields);
        });
        return command;
    }

    private static List<string> Split(string[]? tokens) =>
        (tokens ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
