using System.Text.Json;
using Control.Api.Auth;
using Control.Api.Features.PolicyDelivery;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using FluentValidation.Results;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Wolverine.Http;

namespace Control.Api.Features.Sessions;

/// <summary>
/// The marker that an agent's session event (by the idempotency id the agent gave it) is in the event store. Inserted in
/// the same transaction as the event, so "marked" and "appended" are one fact: a resent event is recognised and skipped.
/// </summary>
public sealed class ProcessedSessionEvent
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
}

/// <summary>
/// <c>POST /agent/session-events</c>: the agent delivers queued session facts (at least once); each is appended to its
/// session's stream exactly once. The whole batch is refused (nothing appended) when any item is malformed (400) or
/// speaks for another client or into a stream that is not one of its sessions (403): an agent writes only its own
/// sessions. A removed client's credential is refused (<see cref="Policies.ActiveAgent"/>).
/// </summary>
public static class RecordSessionEventsEndpoint
{
    private const int Attempts = 5;

    /// <summary>The closed list of types an agent may report; anything else is refused, never bound.</summary>
    private static readonly Dictionary<string, Type> Known = new[]
    {
        typeof(SessionRequested), typeof(SessionDenied), typeof(SessionAuthenticated), typeof(RememberTokenIssued),
        typeof(SessionChannelOpened), typeof(SessionFileTransferred), typeof(SessionRecordingPart), typeof(SessionClosed), typeof(SessionHandshakesRefused),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    // Nullability is enforced: a SessionRequested without its viewer alias is malformed, not a row full of nulls.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    [Authorize(Policy = Policies.ActiveAgent)]
    [WolverinePost("/agent/session-events")]
    public static async Task<IResult> Post(
        AgentSessionEventBatch request, IDocumentStore store, PolicySnapshots snapshots, HttpContext http, CancellationToken cancellation)
    {
        var clientId = http.User.OperatorId();
        var organization = http.User.OrganizationSlug();
        if (request?.Events is not { Count: > 0 } items || items.Count > AgentSessionEventBatch.MaxEvents)
        {
            return Problems.Field("events", $"Send 1 to {AgentSessionEventBatch.MaxEvents} events.").ToResult();
        }

        var errors = new List<ValidationFailure>();
        var parsed = new List<(Guid Id, SessionEvent Event)>(items.Count);
        var foreign = false;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var (sessionEvent, error) = Parse(item);
            if (error is not null)
            {
                errors.Add(new ValidationFailure($"events[{i}].{error.Value.Field}", error.Value.Message));
                continue;
            }

            foreign |= sessionEvent!.ClientId != clientId;
            parsed.Add((item.Id, sessionEvent));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors).ToResult();
        }

        if (foreign)
        {
            return Forbidden("An event names another client: an agent reports only its own sessions.");
        }

        var client = await snapshots.Client(organization, clientId);
        var actor = Actor.System($"agent {client?.Alias ?? client?.NumberText ?? clientId.ToString()}");

        // The same id twice in one batch is one event.
        var unique = parsed.DistinctBy(p => p.Id).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendNew(store, organization, clientId, unique, actor, http, cancellation);
            }
            catch (Exception e) when (attempt < Attempts && IsRace(e))
            {
                // Two deliveries of the same events (or two batches of one session) committed between our read and our
                // write: read again, the other transaction's events are now "already known".
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellation);
            }
        }
    }

    private static async Task<IResult> AppendNew(
        IDocumentStore store, string organization, Guid clientId, List<(Guid Id, SessionEvent Event)> events, Actor actor, HttpContext http,
        CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(organization);
        var known = (await session.LoadManyAsync<ProcessedSessionEvent>(cancellation, events.Select(e => e.Id))).Select(p => p.Id).ToHashSet();
        var fresh = events.Where(e => !known.Contains(e.Id)).ToList();
        if (fresh.Count > 0)
        {
            // Session ids are chosen by agents, not trusted: an id names either a new stream, which the session starts, or
            // a stream that is already a session of this client. Any other stream (the client's own, another client's
            // session, an operator's) is refused, so that an agent cannot write into a history that is not its own.
            var sessionIds = fresh.Select(e => e.Event.SessionId).Distinct().ToList();
            var lookup = session.CreateBatchQuery();
            var streams = sessionIds.ToDictionary(id => id, id => lookup.Events.FetchStreamState(id));
            var summaries = lookup.LoadMany<SessionSummary>().ById(sessionIds.ToArray());
            await lookup.Execute(cancellation);
            var ownSessions = (await summaries).Where(s => s.ClientId == clientId).Select(s => s.Id).ToHashSet();
            var newStreams = new HashSet<Guid>();
            foreach (var id in sessionIds)
            {
                if (await streams[id] is null)
                {
                    newStreams.Add(id);
                }
                else if (!ownSessions.Contains(id))
                {
                    return Forbidden("The session id names a stream that is not a session of this client; a new session needs a new id.");
                }
            }

            session.RecordAs(actor, reason: null, http);
            foreach (var (id, sessionEvent) in fresh)
            {
                // Starting (not appending to) a new stream makes a stream created meanwhile by anyone a conflict, retried above.
                if (newStreams.Remove(sessionEvent.SessionId))
                {
                    session.Events.StartStream(sessionEvent.SessionId, sessionEvent);
                }
                else
                {
                    session.Events.Append(sessionEvent.SessionId, sessionEvent);
                }

                session.Insert(new ProcessedSessionEvent { Id = id, SessionId = sessionEvent.SessionId });
            }

            await session.SaveChangesAsync(cancellation);
        }

        return Results.Ok(new AgentSessionEventsAccepted([.. events.Select(e => e.Id)]));
    }

    private static (SessionEvent? Event, (string Field, string Message)? Error) Parse(AgentSessionEvent? item)
    {
        if (item is null)
        {
            return (null, ("id", "The event is missing."));
        }

        if (item.Id == Guid.Empty)
        {
            return (null, ("id", "Each event needs its idempotency id (a non-empty GUID)."));
        }

        if (item.Type is null || !Known.TryGetValue(item.Type, out var type))
        {
            return (null, ("type", $"Unknown session event type; expected one of {string.Join(", ", Known.Keys)}."));
        }

        SessionEvent? sessionEvent;
        try
        {
            sessionEvent = item.Event.ValueKind == JsonValueKind.Object ? (SessionEvent?)item.Event.Deserialize(type, Json) : null;
        }
        catch (JsonException)
        {
            sessionEvent = null;
        }

        if (sessionEvent is null)
        {
            return (null, ("event", $"The event is not a {item.Type}."));
        }

        if (sessionEvent.SessionId == Guid.Empty)
        {
            return (null, ("event.sessionId", "The session id is required."));
        }

        if (sessionEvent.At == default)
        {
            return (null, ("event.at", "The time of the event is required."));
        }

        return (sessionEvent, null);
    }

    private static bool IsRace(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure }
                || cause is JasperFx.ConcurrencyException or JasperFx.DocumentAlreadyExistsException
                || cause.GetType().Name.Contains("UnexpectedMaxEventId", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static IResult Forbidden(string detail) => Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
    {
        Status = StatusCodes.Status403Forbidden,
        Title = "Not allowed.",
        Detail = detail,
        Type = "https://control.invalid/problems/session-events/foreign-client",
    });
}
