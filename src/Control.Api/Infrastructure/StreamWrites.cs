using Control.Domain.Common;
using Control.Domain.Contracts;
using JasperFx.Events;
using Marten;

namespace Control.Api.Infrastructure;

/// <summary>The write half of every single-stream endpoint, after a <see cref="WriteStreamAttribute"/> loaded the stream.</summary>
public static class StreamWrites
{
    /// <summary>Fetches a stream for writing at the version the request expects (none: whatever it is now); a stale version is a 409.</summary>
    public static Task<IEventStream<T>> FetchForWriting<T>(this IDocumentSession session, Guid id, IVersionedRequest? request, CancellationToken cancellation)
        where T : class =>
        request?.ExpectedVersion is { } expected
            ? session.Events.FetchForWriting<T>(id, expected, cancellation)
            : session.Events.FetchForWriting<T>(id, cancellation);

    /// <summary>Appends an accepted decision's events; the state after them and the stream's new version, for the response.</summary>
    public static (T State, long Version) Append<T>(this IEventStream<T> stream, Decision decision, Func<T?, object, T?> evolve)
        where T : class
    {
        stream.AppendMany(decision.Events.ToArray());
        var state = decision.Events.Aggregate(stream.Aggregate!, (current, e) => evolve(current, e)!);
        return (state, (stream.StartingVersion ?? 0) + decision.Events.Count);
    }
}
