using System.Text.RegularExpressions;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;

namespace Control.Domain.CustomClients;

public sealed record CreateCustomClient(Guid Id, Guid OrganizationId, string Name, string? AliasSuffix, ClientPreset Preset, bool Public, string TokenHash);

public sealed record SetCustomClientVisibility(bool Public);

public sealed record RotateCustomClientToken(string TokenHash);

public sealed record DeleteCustomClient;

public sealed record IssueEnrolmentTicket(string TicketHash, DateTimeOffset ExpiresAt);

public static partial class CustomClientDecider
{
    public static Decision Decide(CreateCustomClient c, bool nameTaken, Actor actor, DateTimeOffset now)
    {
        if (!NamePattern().IsMatch(c.Name))
        {
            return Decision.Refuse(RefusalKind.Invalid, "custom_client.name_invalid", "A custom client's name is 1-40 lowercase letters, digits, '.', '_' or '-'.");
        }

        if (c.AliasSuffix is not null && !SuffixPattern().IsMatch(c.AliasSuffix))
        {
            return Decision.Refuse(RefusalKind.Invalid, "custom_client.suffix_invalid", "An alias suffix is 1-16 characters starting with '-' or '.', e.g. -support.");
        }

        if (PresetProblem(c.Preset) is { } problem)
        {
            return problem;
        }

        return nameTaken
            ? Decision.Refuse(RefusalKind.Conflict, "custom_client.name_taken", $"A custom client named '{c.Name}' exists already.")
            : Decision.Accept(new CustomClientCreated(c.Id, c.OrganizationId, c.Name, c.AliasSuffix, c.Preset, c.Public, c.TokenHash, actor, now));
    }

    public static Decision Decide(object command, CustomClient state, Actor actor, DateTimeOffset now)
    {
        if (state.Deleted)
        {
            return Decision.Refuse(RefusalKind.Conflict, "custom_client.deleted", "The custom client was deleted.");
        }

        return command switch
        {
            SetCustomClientVisibility v => v.Public == state.Public ? Decision.NothingToDo : Decision.Accept(new CustomClientVisibilitySet(state.Id, v.Public, actor, now)),
            RotateCustomClientToken r => Decision.Accept(new CustomClientTokenRotated(state.Id, r.TokenHash, actor, now)),
            DeleteCustomClient => Decision.Accept(new CustomClientDeleted(state.Id, actor, now)),
            IssueEnrolmentTicket t => Decision.Accept(new EnrolmentTicketIssued(state.Id, t.TicketHash, t.ExpiresAt, actor, now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown custom-client command."),
        };
    }

    /// <summary>A preset's ACL must be as valid as entries added one by one ("*" is never preset: it needs an explicit confirmation).</summary>
    public static Decision? PresetProblem(ClientPreset preset)
    {
        foreach (var entry in preset.AclEntries)
        {
            if (!AclEntry.TryParse(entry, out var parsed, out var error))
            {
                return Decision.Refuse(RefusalKind.Invalid, "acl.entry_invalid", error);
            }

            if (parsed.Kind == AclEntryKind.Everyone)
            {
                return Decision.Refuse(RefusalKind.Invalid, "acl.everyone_not_confirmed", "A preset cannot admit everyone ('*'); add it per client with --allow-everyone.");
            }
        }

        return preset.AclEntries.Count > ClientDecider.MaxAclEntries
            ? Decision.Refuse(RefusalKind.Invalid, "acl.too_many", $"At most {ClientDecider.MaxAclEntries} entries.")
            : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,39}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[-.][a-z0-9._-]{1,15}$")]
    private static partial Regex SuffixPattern();
}
