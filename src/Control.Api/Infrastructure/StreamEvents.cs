using Control.Domain.Common;
using JasperFx.Events.Projections;

namespace Control.Api.Infrastructure;

/// <summary>
/// The domain's aggregates fold their own streams (Evolve); the features' projections hand Marten that fold, so
/// Control.Domain needs no event-store attributes, base classes or source generators. A fold over any event tells Marten
/// nothing of which streams it cares about, and an inline projection that declares no events is handed every stream a
/// transaction appends: an offboarding batch of a thousand clients would be sliced, looked up (a query per projection)
/// and folded to nothing by every projection besides the clients'. So each projection of a stream kind declares its
/// events: every record of its aggregate's namespace (where each stream kind's events live; commands and value records in
/// the list are never appended and cost nothing) and SecretRevealed, which several kinds of stream carry. A stream with
/// none of them is skipped; one with any is folded whole. The client projection takes everything: a client stream is the
/// one any feature may add to. The test ProjectionVersions checks that every document has its stream's version.
/// </summary>
internal static class StreamEvents
{
    /// <summary>Lets <paramref name="projection"/> see only streams with an event of <typeparamref name="TAggregate"/>'s namespace (or a SecretRevealed).</summary>
    public static void IncludeEventsOf<TAggregate>(this EventFilterable projection)
    {
        foreach (var type in typeof(TAggregate).Assembly.GetExportedTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && t.Namespace == typeof(TAggregate).Namespace && t.GetMethod("<Clone>$") is not null))
        {
            projection.IncludeType(type);
        }

        projection.IncludeType<SecretRevealed>();
    }
}
