using System.Globalization;
using System.Text.Json;
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
/// The caller's organization's events, newest first, filtered by type, actor, stream, correlation, target and time, paged
/// by a cursor (the last sequence number seen: events appended meanwhile are newer, so pages never shift). Secret material
/// in event bodies is redacted.
/// </summary>
public static class GetAuditEventsEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/audit/events")]
    public static async Task<IResult> Get(
        HttpContext http, IQuerySession session, NpgsqlDataSource database, IOptions<ControlOptions> options, CancellationToken cancellation,
        string? type = null, string? actor = null, Guid? stream = null, string? correlation = null, string? target = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? cursor = null, int? limit = null)
    {
        long? before = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                return Problems.Field("cursor", "The cursor is the nextCursor value of a previous page.").ToResult();
            }

            before = c;
        }

        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            return Problems.Field("limit", $"The limit is between 1 and {MaxLimit}.").ToResult();
        }

        var (filter, problem) = await AuditEventQuery.Parse(session, type, actor, stream, correlation, from, to, target, cancellation);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        var tenant = http.User.OrganizationSlug();
        var schema = options.Value.DatabaseSchema;
        await using var command = AuditEventQuery.Command(database, schema, tenant, filter!, before, take + 1);
        var items = new List<AuditEventView>(take);
        var targets = new List<(string Type, Guid? SessionClient)>(take);
        var more = false;
        using var redaction = new AuditRedaction();
        var unlabelled = AuditTargetLabels.None;
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                if (items.Count == take)
                {
                    more = true;
                    break;
                }

                var row = AuditEventQuery.Read(reader, unlabelled, redaction);
                using var data = JsonDocument.Parse(row.Data);
                items.Add(new AuditEventView(
                    row.Sequence, row.EventId, row.Type, row.StreamId, row.Version, row.Timestamp, row.Actor, row.Reason, row.CorrelationId,
                    data.RootElement.Clone()));
                targets.Add((reader.GetString(10), AuditEventQuery.SessionClient(reader)));
            }
        }

        var streams = items.Select(i => i.StreamId).Concat(targets.Where(t => t.SessionClient is not null).Select(t => t.SessionClient!.Value)).ToHashSet();
        var labels = await AuditTargetLabels.Load(database, schema, tenant, streams, cancellation);
        items = [.. items.Select((item, i) => item with { Target = labels.For(item.StreamId, targets[i].Type, targets[i].SessionClient) })];
        return Results.Ok(new AuditEventPage(items, more ? items[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null));
    }
}
