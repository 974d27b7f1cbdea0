using Control.Domain.Access;
using Control.Domain.Common;

namespace Control.Domain.People;

public sealed record AddPerson(Guid PersonId, Guid OrganizationId, string Name, string? Email);

public sealed record LinkOperator(Guid OperatorId, string Alias);

public sealed record LinkIdentity(string Identity);

public sealed record LinkClient(Guid ClientId, string Label);

public sealed record RecordKnowledge(Guid SubjectId, SecretKind Secret, string Label);

public sealed record StartOffboarding(Guid OffboardingId);

public sealed record CancelOffboarding(Guid OffboardingId);

/// <param name="Kept">Aliases the offboarding had no authority over (accounts it could not change): they stay the person's and are not released.</param>
public sealed record CompleteOffboarding(Guid OffboardingId, IReadOnlyCollection<string> Kept);

/// <summary>The rules of the HR record. Links are idempotent (linking twice changes nothing); an offboarded person is closed.</summary>
public static class PersonDecider
{
    public const int MaxNameLength = 100;

    public static Decision Decide(AddPerson command, Actor actor, DateTimeOffset now)
    {
        var name = command.Name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            return Decision.Refuse(RefusalKind.Invalid, "person.name_invalid", $"A person's name is 1-{MaxNameLength} characters.");
        }

        var email = string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim();
        if (email is not null && (email.Length > 200 || !email.Contains('@', StringComparison.Ordinal)))
        {
            return Decision.Refuse(RefusalKind.Invalid, "person.email_invalid", "The e-mail address is not valid.");
        }

        return Decision.Accept(new PersonAdded(command.PersonId, command.OrganizationId, name, email, actor, now));
    }

    public static Decision Decide(object command, Person person, Actor actor, DateTimeOffset now)
    {
        if (person.Status == PersonStatus.Offboarded && command is not CompleteOffboarding)
        {
            return Decision.Refuse(RefusalKind.Conflict, "person.offboarded", $"{person.Name} was offboarded; their record is closed.");
        }

        return command switch
        {
            LinkOperator c => person.Operators.Any(o => o.OperatorId == c.OperatorId)
                ? Decision.NothingToDo
                : Decision.Accept(new PersonOperatorLinked(person.Id, c.OperatorId, c.Alias, actor, now)),
            LinkIdentity c => Identity(person, c.Identity, actor, now),
            LinkClient c => person.Clients.Any(x => x.ClientId == c.ClientId)
                ? Decision.NothingToDo
                : Decision.Accept(new PersonClientLinked(person.Id, c.ClientId, c.Label, actor, now)),
            RecordKnowledge c => Decision.Accept(new PersonKnowledgeRecorded(person.Id, c.SubjectId, c.Secret, c.Label, actor, now)),
            StartOffboarding c => person.Status == PersonStatus.Offboarding
                ? Decision.Refuse(RefusalKind.Conflict, "person.offboarding_running", $"An offboarding of {person.Name} is already scheduled or running ({person.OffboardingId}).")
                : Decision.Accept(new PersonOffboardingStarted(person.Id, c.OffboardingId, actor, now)),
            CancelOffboarding c => person.Status == PersonStatus.Offboarding && person.OffboardingId == c.OffboardingId
                ? Decision.Accept(new PersonOffboardingCancelled(person.Id, c.OffboardingId, actor, now))
                : Decision.NothingToDo,
            CompleteOffboarding c => person.Status == PersonStatus.Offboarded
                ? Decision.NothingToDo
                : Decision.Accept(new PersonOffboarded(person.Id, c.OffboardingId, person.AclIdentities().Except(c.Kept, StringComparer.Ordinal).ToList(), actor, now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown person command."),
        };
    }

    private static Decision Identity(Person person, string identity, Actor actor, DateTimeOffset now)
    {
        // An identity is what a verified viewer presents: an exact alias or a client number, never a pattern.
        if (!AclEntry.TryParse(identity, out var entry, out var error))
        {
            return Decision.Refuse(RefusalKind.Invalid, "person.identity_invalid", error);
        }

        if (entry.Kind is not (AclEntryKind.Alias or AclEntryKind.ClientNumber))
        {
            return Decision.Refuse(RefusalKind.Invalid, "person.identity_invalid", "Link an exact alias (bob@acme) or a client number, not a pattern.");
        }

        return person.AclIdentities().Contains(entry.Value, StringComparer.Ordinal)
            ? Decision.NothingToDo
            : Decision.Accept(new PersonIdentityLinked(person.Id, entry.Value, actor, now));
    }
}
