using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Sessions;

/// <summary>Session history of the caller's organization, newest first: per client, per viewer, or only the live ones.</summary>
public static class GetSessionsEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    [Authorize(Policy = Policies.ReadSessions)]
    [WolverineGet("/sessions")]
    public static async Task<IResult> Get(
        IQuerySession session, NpgsqlRecordings recordings, CancellationToken cancellation,
        string? client = null, string? viewer = null, bool live = false, int? limit = null)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            return Problems.Field("limit", $"The limit is between 1 and {MaxLimit}.").ToResult();
        }

        var query = session.Query<SessionSummary>().AsQueryable();
        if (!string.IsNullOrWhiteSpace(client))
        {
            var found = await ClientLookup.Find(session, client, cancellation);
            if (found is null)
            {
                return Problems.NotFound("client").ToResult();
            }

            query = query.Where(s => s.ClientId == found.Id);
        }

        if (!string.IsNullOrWhiteSpace(viewer))
        {
            var alias = viewer.Trim().ToLowerInvariant();
            alias = alias.Contains('@', StringComparison.Ordinal) ? alias : $"{alias}@{session.TenantId}";
            query = query.Where(s => s.ViewerAlias == alias);
        }

        if (live)
        {
            query = query.Where(s => s.Live);
        }

        var page = await query.OrderByDescending(s => s.StartedAt).Take(take).ToListAsync(cancellation);
        return Results.Ok(await SessionViews.Render(session, recordings, page, cancellation));
    }
}

public static class GetSessionEndpoint
{
    [Authorize(Policy = Policies.ReadSessions)]
    [WolverineGet("/sessions/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, NpgsqlRecordings recordings, CancellationToken cancellation)
    {
        var found = await session.LoadAsync<SessionSummary>(id, cancellation);
        if (found is null)
        {
            return Problems.NotFound("session").ToResult();
        }

        return Results.Ok((await SessionViews.Render(session, recordings, [found], cancellation))[0]);
    }
}

internal static class SessionViews
{
    public static async Task<IReadOnlyList<SessionSummaryView>> Render(
        IQuerySession session, NpgsqlRecordings recordings, IReadOnlyList<SessionSummary> sessions, CancellationToken cancellation)
    {
        var clients = (await session.LoadManyAsync<Client>(cancellation, sessions.Select(s => s.ClientId).Distinct())).ToDictionary(c => c.Id);
        var recorded = await recordings.Recorded(session.TenantId, sessions.Select(s => s.Id).ToList(), cancellation);
        return sessions.Select(s =>
        {
            var c = clients.GetValueOrDefault(s.ClientId);
            return new SessionSummaryView(
                s.Id, s.ClientId, c?.NumberText, c?.Alias, s.ViewerAlias, s.Source, s.Justification, s.RequestedAt, s.AuthenticatedAt, s.ClosedAt,
                s.DurationMilliseconds, s.Methods, s.Channels, [.. s.Files.Select(f => new SessionFileView(f.Direction, f.Path, f.Size, f.Sha256, f.At))],
                s.DeniedReason, s.EndedBy, s.EndReason, s.BytesFromViewer, s.BytesToViewer, s.Live, recorded.Contains(s.Id), s.Login);
        }).ToList();
    }
}
