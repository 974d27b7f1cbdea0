using Control.Api.Infrastructure;
using Control.Domain.Sessions;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace Control.Api.Features.Sessions;

/// <summary>Sessions' storage: the session summary (inline) with the history's indexes, processed agent events, recordings.</summary>
public static class SessionStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<SessionSummaryProjection>(ProjectionLifecycle.Inline);

        // Session history pages newest first per organization, per client, per viewer, or only the denied ones, with
        // (started_at, id) as the cursor: real columns and composite indexes, so that each page is one index range scan.
        // (A duplicated field always brings its own one-column index; only the composite ones serve the history.)
        opts.Schema.For<SessionSummary>()
            .StartIndexesByTenantId()
            .Duplicate(x => x.StartedAt)
            .Duplicate(x => x.ClientId)
            .Duplicate(x => x.ViewerAlias!)
            .Duplicate(x => x.DeniedAt!, configure: i => i.Predicate = "denied_at is not null")
            .Index([x => x.StartedAt, x => x.Id], i => i.Name = "ix_session_summary_started")
            .Index([x => x.ClientId, x => x.StartedAt, x => x.Id], i => i.Name = "ix_session_summary_client")
            .Index([x => x.ViewerAlias!, x => x.StartedAt, x => x.Id], i => i.Name = "ix_session_summary_viewer")
            .Index([x => x.StartedAt, x => x.Id], i =>
            {
                i.Name = "ix_session_summary_denied";
                i.Predicate = "denied_at is not null";
            });
        opts.Schema.For<ProcessedSessionEvent>();
        opts.Storage.ExtendedSchemaObjects.Add(SessionRecordings.Table(opts.DatabaseSchemaName));
    }
}

public sealed class SessionSummaryProjection : SingleStreamProjection<SessionSummary, Guid>
{
    public SessionSummaryProjection() => this.IncludeEventsOf<SessionSummary>();

    public override SessionSummary? Evolve(SessionSummary? snapshot, Guid id, IEvent e) => SessionSummary.Evolve(snapshot, e.Data);
}
