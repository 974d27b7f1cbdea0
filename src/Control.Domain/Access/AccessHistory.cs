using Control.Domain.Clients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;

namespace Control.Domain.Access;

/// <summary>Which aggregate's stream an event was appended to (the event store's stream type).</summary>
public enum StreamKind
{
    Organization,
    Operator,
    Person,
    Client,

    /// <summary>Any other stream (sessions, custom clients, offboardings): only its exposure facts count here.</summary>
    Other,
}

/// <summary>One stored event as a replay needs it: its position in the log, its stream, and the fact.</summary>
public sealed record RecordedEvent(long Sequence, DateTimeOffset Timestamp, Guid StreamId, StreamKind Stream, object Data);

/// <summary>
/// The state the access review is computed from, as it was after a prefix of the event log. It folds the events with
/// the aggregates' own Evolve functions and the exposure's fold (<see cref="SecretKnowledge.KeyOf(object)"/>,
/// <see cref="SecretKnowledge.Evolve"/>), exactly as the inline projections build today's documents, so an answer
/// "as of T" and the answer "now" follow one set of rules.
/// </summary>
public sealed class AccessHistory
{
    private readonly Dictionary<Guid, Client> _clients = [];
    private readonly Dictionary<Guid, Operator> _operators = [];
    private readonly Dictionary<Guid, Person> _people = [];
    private readonly Dictionary<string, SecretKnowledge> _knowledge = new(StringComparer.Ordinal);

    public Organization? Organization { get; private set; }

    public IReadOnlyCollection<Client> Clients => _clients.Values;

    public IReadOnlyCollection<Operator> Operators => _operators.Values;

    public IReadOnlyCollection<Person> People => _people.Values;

    public IReadOnlyCollection<SecretKnowledge> Knowledge => _knowledge.Values;

    /// <summary>Folds the events in log order (whatever order they are given in).</summary>
    public static AccessHistory Replay(IEnumerable<RecordedEvent> events)
    {
        var history = new AccessHistory();
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            history.Apply(e);
        }

        return history;
    }

    public void Apply(RecordedEvent e)
    {
        switch (e.Stream)
        {
            case StreamKind.Organization:
                Organization = Organization.Evolve(Organization, e.Data);
                break;
            case StreamKind.Operator:
                Fold(_operators, e.StreamId, Operator.Evolve(_operators.GetValueOrDefault(e.StreamId), e.Data));
                break;
            case StreamKind.Person:
                Fold(_people, e.StreamId, Person.Evolve(_people.GetValueOrDefault(e.StreamId), e.Data));
                break;
            case StreamKind.Client:
                Fold(_clients, e.StreamId, Client.Evolve(_clients.GetValueOrDefault(e.StreamId), e.Data));
                break;
        }

        if (SecretKnowledge.KeyOf(e.Data) is { } key && SecretKnowledge.Evolve(_knowledge.GetValueOrDefault(key), key, e.Data) is { } knowledge)
        {
            _knowledge[key] = knowledge;
        }
    }

    /// <summary>The review of this state, or null before the organization existed.</summary>
    public AccessReview? Review() => Organization is null ? null : new AccessReview(Organization, Clients, Operators, People, Knowledge);

    private static void Fold<T>(Dictionary<Guid, T> states, Guid id, T? state) where T : class
    {
        if (state is null)
        {
            states.Remove(id);
        }
        else
        {
            states[id] = state;
        }
    }
}
