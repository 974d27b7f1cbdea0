using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine.Http;

namespace Control.Api.Features.Audit.History;

/// <summary>
/// Session history for auditors: per client, per person (through their viewer aliases), per technician (viewer alias),
/// only the denied attempts, a time range; newest first, paged by a (start, id) cursor that sessions reported meanwhile
/// cannot shift.
/// </summary>
public static class GetSessionHistoryEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/audit/sessions")]
    public static async Task<IResult> Get(
        IQuerySession session, NpgsqlDataSource database, IOptions<ControlOptions> options, CancellationToken cancellation,
        string? client = null, string? person = null, string? viewer = null, bool denied = false,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? cursor = null, int? limit = null)
    {
        SessionCursor? after = null;
        if (cursor is not null)
        {
            if (!SessionCursor.TryParse(cursor, out var parsed))
            {
                return Problems.Field("cursor", "The cursor is the nextCursor value of a previous page.").ToResult();
            }

            after = parsed;
        }

        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            return Problems.Field("limit", $"The limit is between 1 and {MaxLimit}.").ToResult();
        }

        var (filter, problem) = await SessionHistoryQuery.Parse(session, client, person, viewer, denied, from, to, cancellation);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        var people = await SessionHistoryQuery.People(session, cancellation);
        await using var command = SessionHistoryQuery.Command(database, options.Value.DatabaseSchema, session.TenantId, filter!, after, take + 1);
        var items = new List<SessionHistoryRow>(take);
        var more = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                if (items.Count == take)
                {
                    more = true;
                    break;
                }

                items.Add(SessionHistoryQuery.Read(reader, people));
            }
        }

        return Results.Ok(new SessionHistoryPage(items, more ? new SessionCursor(items[^1].StartedAt, items[^1].SessionId).ToString() : null));
    }
}
